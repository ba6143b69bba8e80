import { expect, it } from 'vitest';
import { isKnownUnit } from './load-canary';

// Run only by `npm run test:mutation -- load-canary` (its name keeps it out of the unit project).
it('knows mm[Hg] and nothing else', () => {
  expect(isKnownUnit('mm[Hg]')).toBe(true);
  expect(isKnownUnit('')).toBe(false);
});
