/** Placeholder until this screen lands. */
export function DevicesScreen() {
  return (
    <section className="panel">
      <h1>Devices</h1>
      <p>This screen is being built.</p>
    </section>
  );
}
