// Placeholder until admin lands; replaced by its owner.
export function AdminPage(props: { section: string }) {
  return <h1>Admin: {props.section}</h1>;
}
