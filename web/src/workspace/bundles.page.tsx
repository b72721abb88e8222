// Placeholder until bundles lands; replaced by its owner.
export function BundlesPage() {
  return <h1>Bundles</h1>;
}
export function BundlePage(props: { id: string }) {
  return <h1>Bundle {props.id}</h1>;
}
