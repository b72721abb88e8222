// Placeholder until exposure tracking lands; replaced by its owner. The workspace header shows it.
export function ExposureMeter() {
  return null;
}
