import { describe, expect, it } from 'vitest';
import { createNonin8Parser, encodeNonin8 } from '../../../../main/devices/serial/drivers/nonin-8';
import { feed } from './collect';

// Nonin format #8 status byte: LPRF low perfusion (bit4), MPRF marginal perfusion (bit3), ARTF artifact
// (bit2). The reading is still given, and the nurse sees why it may be less reliable.
function notesOf(flags: { lowPerfusion?: boolean; marginalPerfusion?: boolean; artifact?: boolean }) {
  const out = feed(createNonin8Parser(), encodeNonin8({ heartRate: 88, spo2: 94, ...flags }));
  const measurements = out.filter((o) => o.type === 'measurement');
  expect(measurements).toHaveLength(1);
  const [m] = measurements;
  if (m?.type !== 'measurement') throw new Error('expected a measurement');
  expect(m.values).toEqual([
    { kind: 'heartRate', value: 88, unit: '/min' },
    { kind: 'spo2', value: 94, unit: '%' },
  ]);
  return m.notes;
}

describe('Nonin format #8 signal-quality notes', () => {
  it('notes marginal perfusion and artifact, each on its own and together', () => {
    expect(notesOf({})).toEqual([]);
    expect(notesOf({ marginalPerfusion: true })).toEqual(['marginal perfusion']);
    expect(notesOf({ artifact: true })).toEqual(['artifact detected']);
    expect(notesOf({ marginalPerfusion: true, artifact: true })).toEqual([
      'marginal perfusion',
      'artifact detected',
    ]);
    expect(notesOf({ lowPerfusion: true, artifact: true })).toEqual(['low perfusion', 'artifact detected']);
  });

  it('says low perfusion, not marginal, when the oximeter sets both', () => {
    expect(notesOf({ lowPerfusion: true, marginalPerfusion: true })).toEqual(['low perfusion']);
  });
});
