import { describe, expect, it } from 'vitest';
import {
  confirmationFindings,
  confirmationsIn,
  confirmationsNeeded,
  unconfirmedIssues,
} from '../../../shared/clinical/confirmation';

const NOW = new Date('2026-12-01T12:00:00Z');
const bp = (systolic: number, diastolic: number) => ({
  kind: 'bloodPressure',
  components: [
    { kind: 'systolic' as const, value: systolic },
    { kind: 'diastolic' as const, value: diastolic },
  ],
});

describe('confirmationFindings', () => {
  it('checks each component of a blood pressure, and SpO2 with its oxygen flow', () => {
    const f = confirmationFindings({ next: bp(230, 135), previous: undefined, at: NOW, checkJumps: true });
    expect(f.outerBand.map((o) => `${o.kind}:${o.side}`)).toEqual(['systolic:high', 'diastolic:high']);
    const spo2 = confirmationFindings({
      next: { kind: 'spo2', value: 78, components: [{ kind: 'inhaledOxygenFlow', value: 20 }] },
      previous: undefined,
      at: NOW,
      checkJumps: true,
    });
    expect(spo2.outerBand.map((o) => o.kind)).toEqual(['spo2', 'inhaledOxygenFlow']);
    expect(confirmationsNeeded(spo2)).toEqual(['outer-band']);
  });

  it('an impossible value is left to the plausibility refusal, not asked about', () => {
    const f = confirmationFindings({
      next: { kind: 'respiratoryRate', value: 1 },
      previous: undefined,
      at: NOW,
      checkJumps: true,
    });
    expect(confirmationsNeeded(f)).toEqual([]);
  });

  it('jumps only when asked to check them (typed values), per component against the same component', () => {
    const previous = { ...bp(120, 80), effectiveAt: '2026-12-01T11:30:00Z' };
    const typed = confirmationFindings({ next: bp(180, 82), previous, at: NOW, checkJumps: true });
    expect(typed.jumps.map((j) => j.kind)).toEqual(['systolic']);
    expect(confirmationsNeeded(typed)).toEqual(['jump']);
    const device = confirmationFindings({ next: bp(180, 82), previous, at: NOW, checkJumps: false });
    expect(confirmationsNeeded(device)).toEqual([]);
  });

  it('a value both rare and a jump needs both confirmations; main names what is still missing', () => {
    const f = confirmationFindings({
      next: { kind: 'respiratoryRate', value: 2 },
      previous: { kind: 'respiratoryRate', value: 16, effectiveAt: '2026-12-01T11:50:00Z' },
      at: NOW,
      checkJumps: true,
    });
    expect(confirmationsNeeded(f)).toEqual(['outer-band', 'jump']);
    expect(unconfirmedIssues(f, []).map((i) => i.path)).toEqual(['confirmed.outer-band', 'confirmed.jump']);
    expect(unconfirmedIssues(f, ['outer-band']).map((i) => i.path)).toEqual(['confirmed.jump']);
    expect(unconfirmedIssues(f, ['jump', 'outer-band'])).toEqual([]);
    expect(confirmationsIn(unconfirmedIssues(f, []))).toEqual(['outer-band', 'jump']);
    expect(confirmationsIn([{ path: 'value' }, { path: 'confirmed.nonsense' }])).toEqual([]);
  });
});
