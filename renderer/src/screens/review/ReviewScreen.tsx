/** Placeholder until this screen lands. */
export function ReviewScreen() {
  return (
    <section className="panel">
      <h1>Review</h1>
      <p>This screen is being built.</p>
    </section>
  );
}
