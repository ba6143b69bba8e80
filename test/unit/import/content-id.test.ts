/**
 * A record without an id of its own is known by a hash of what it is. That id is stored, so it must stay
 * the same from one version of the app to the next: a re-import after an upgrade must find the records
 * stored before. Pinned here against ids the earlier version stored, and against the hash fed part by part.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentId } from '../../../main/import/formats/identity';

/** The way the earlier version computed it: one Hash object, each part then U+001F. */
function partByPart(prefix: string, parts: readonly (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(`${part ?? ''}\u001f`);
  return `${prefix}:${h.digest('base64url').slice(0, 32)}`;
}

const HEART_RATE = [
  'HKQuantityTypeIdentifierHeartRate',
  '2026-03-01 08:00:00 +0100',
  '2026-03-01 08:00:00 +0100',
  '62',
  'count/min',
  'Jane’s Apple Watch',
] as const;

describe('contentId', () => {
  it.each([
    ['apple-health', HEART_RATE],
    [
      'apple-health',
      [
        'HKCorrelationTypeIdentifierBloodPressure',
        '2026-03-01 08:00:00 +0100',
        undefined,
        '128',
        '82',
        'mmHg',
        undefined,
      ],
    ],
    ['fhir', ['glucose', '2026-03-01T08:00:00.000Z', 5.4, undefined]],
    ['csv:abc', ['weight', '', '', '', '']],
  ] as const)('gives %s ids the earlier version stored', (prefix, parts) => {
    expect(contentId(prefix, parts)).toBe(partByPart(prefix, parts));
  });

  it('keeps the id of a stored heart rate, character for character', () => {
    expect(contentId('apple-health', HEART_RATE)).toBe('apple-health:8_i_eubO-HvPVz4BU-4vPBl0qERRz3kC');
  });
});
