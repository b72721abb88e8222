// Placeholder until agency inbox lands; replaced by its owner.
export function AgencyInboxPage() {
  return <h1>Inbox</h1>;
}
