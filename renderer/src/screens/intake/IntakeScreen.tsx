/** Placeholder until this screen lands. */
export function IntakeScreen() {
  return (
    <section className="panel">
      <h1>Intake</h1>
      <p>This screen is being built.</p>
    </section>
  );
}
