export default function Dashboard() {
  return (
    <main className="dashboard">
      <h1>Welcome back</h1>
      <section className="card">Nothing pinned yet.</section>
    </main>
  );
}
