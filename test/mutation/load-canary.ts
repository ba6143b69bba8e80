/**
 * Mutation canary, never imported by the app: a table whose emptiness makes the module throw on import,
 * as a real module's startup check would. Emptying it is a mutant the test below must count as killed.
 */
const KNOWN_UNITS = new Set(['mm[Hg]']);
// Stryker disable next-line all: the load check is the canary's mechanism, not what it measures.
if (KNOWN_UNITS.size !== 1) throw new Error('The unit table failed to load.');

export function isKnownUnit(unit: string): boolean {
  return KNOWN_UNITS.has(unit);
}
