// Placeholder until dashboard lands; replaced by its owner.
export function DashboardPage() {
  return <h1>Dashboard</h1>;
}
