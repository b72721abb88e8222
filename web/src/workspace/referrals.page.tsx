// Placeholder until referrals lands; replaced by its owner.
export function ReferralsPage() {
  return <h1>Referrals</h1>;
}
