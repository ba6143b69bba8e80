/** Waits, polling, until a test's condition holds; fails with what it was waiting for. */
export async function until(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
  pollMs = 5,
): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
