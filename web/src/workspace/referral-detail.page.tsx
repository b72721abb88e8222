// Placeholder until referral detail lands; replaced by its owner.
export function ReferralDetailPage(props: { id: string }) {
  return <h1>Referral {props.id}</h1>;
}
