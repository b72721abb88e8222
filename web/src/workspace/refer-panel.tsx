// Placeholder until the referral screens land; replaced by their owner. The report view shows it.
export function ReferPanel(_props: { reportId: string }) {
  return null;
}
