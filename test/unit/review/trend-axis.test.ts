import { describe, expect, it } from 'vitest';
import { VITALS } from '../../../shared/clinical/vital-signs';
import type { Observation } from '../../../shared/records';
import {
  axisLabel,
  axisTicks,
  bloodPressurePoints,
  changeSinceLastVisit,
  rangeWindow,
} from '../../../renderer/src/screens/review/trends';
import { changeText, shortTime } from '../../../renderer/src/screens/review/short-time';
import { observationOf } from '../../support/observations';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();

describe('time axis of the trends', () => {
  it('labels hours within a visit, days across 90 days, months across a year; never seconds', () => {
    const at = local(2026, 11, 12, 9, 43);
    expect(axisLabel(at, 3 * HOUR)).toBe('09:43');
    expect(axisLabel(at, 90 * DAY)).toBe('12 Nov');
    expect(axisLabel(at, 365 * DAY)).toBe('Nov 2026');
  });

  it('puts ticks on whole quarter hours, days or months inside the window, a handful of them', () => {
    const visit = axisTicks(local(2026, 12, 1, 9, 5), local(2026, 12, 1, 11, 5), 8);
    expect(visit.map((t) => axisLabel(t, 2 * HOUR))).toEqual([
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
    ]);
    const days = axisTicks(local(2026, 11, 24, 15), local(2026, 12, 1, 15), 8);
    expect(days.map((t) => axisLabel(t, 7 * DAY))).toEqual([
      '25 Nov',
      '26 Nov',
      '27 Nov',
      '28 Nov',
      '29 Nov',
      '30 Nov',
      '1 Dec',
    ]);
    const year = axisTicks(local(2025, 12, 1), local(2026, 12, 1), 6);
    expect(year.length).toBeLessThanOrEqual(7);
    expect(year.map((t) => axisLabel(t, 365 * DAY))[0]).toBe('Jan 2026');
  });

  it('gives a single value a window of its range, not years either side', () => {
    const now = local(2026, 12, 1, 12);
    const [from, to] = rangeWindow('90d', now, null);
    expect(to - from).toBeLessThan(95 * DAY);
    expect(from).toBe(now - 90 * DAY);
    // This visit: from a quarter hour before it started to a quarter hour after now.
    const start = now - HOUR;
    expect(rangeWindow('visit', now, start)).toEqual([start - HOUR / 4, now + HOUR / 4]);
  });
});

const bp = (sys: number, dia: number, patch: Partial<Observation>) =>
  observationOf('bloodPressure', {
    components: [
      { kind: 'systolic', code: VITALS.systolic.loinc, value: sys, unit: 'mm[Hg]' },
      { kind: 'diastolic', code: VITALS.diastolic.loinc, value: dia, unit: 'mm[Hg]' },
    ],
    ...patch,
  });
const sysDia = (o: Observation) =>
  o.components.filter((c) => c.kind !== 'meanArterialPressure').map((c) => c.value);

describe('change since the last visit', () => {
  it("compares with the newest value of an earlier visit, not this visit's earlier one", () => {
    const earlier = bp(150, 92, { encounterId: 'v1', effectiveAt: '2026-09-01T09:00:00Z' });
    const last = bp(156, 94, { encounterId: 'v2', effectiveAt: '2026-11-01T09:00:00Z' });
    const firstToday = bp(172, 99, { encounterId: 'v3', effectiveAt: '2026-12-01T09:00:00Z' });
    const latest = bp(168, 98, { encounterId: 'v3', effectiveAt: '2026-12-01T09:10:00Z' });
    const change = changeSinceLastVisit(latest, [earlier, last, firstToday, latest], sysDia);
    expect(change).toEqual({ deltas: [12, 4], since: '2026-11-01T09:00:00Z' });
    expect(changeText(change!.deltas, 'mmHg', 0)).toBe('↑ 12/↑ 4 mmHg');
  });

  it('skips a withdrawn value and uses the correction of a corrected one', () => {
    const original = bp(190, 100, {
      encounterId: 'v2',
      effectiveAt: '2026-11-01T09:00:00Z',
      recordedAt: '2026-11-01T09:01:00Z',
    });
    const corrected = bp(140, 90, {
      id: 'c',
      seriesId: original.seriesId,
      encounterId: 'v2',
      effectiveAt: '2026-11-01T09:00:00Z',
      recordedAt: '2026-11-01T09:30:00Z',
      status: 'amended',
    });
    const withdrawn = bp(100, 60, {
      encounterId: 'v4',
      effectiveAt: '2026-11-20T09:00:00Z',
      status: 'entered-in-error',
    });
    const latest = bp(168, 98, { encounterId: 'v3', effectiveAt: '2026-12-01T09:10:00Z' });
    expect(changeSinceLastVisit(latest, [original, corrected, withdrawn, latest], sysDia)?.deltas).toEqual([
      28, 8,
    ]);
    expect(changeSinceLastVisit(latest, [latest], sysDia)).toBeNull();
  });

  it('says a fall, a decimal change and no change in words', () => {
    expect(changeText([-0.6], 'kg', 1)).toBe('↓ 0.6 kg');
    expect(changeText([0.04], '°C', 1)).toBe('no change');
    expect(changeText([12, 0], 'mmHg', 0)).toBe('↑ 12/= 0 mmHg');
  });
});

describe('blood-pressure bars and short times', () => {
  it('pairs systolic and diastolic of each reading; a withdrawn one only when asked, marked', () => {
    const code = '85354-9';
    const kept = bp(168, 98, { code, effectiveAt: '2026-12-01T09:10:00Z' });
    const gone = bp(210, 130, { code, effectiveAt: '2026-12-01T09:00:00Z', status: 'entered-in-error' });
    const byCode = new Map([[code, [gone, kept]]]);
    expect(bloodPressurePoints(byCode)).toEqual([
      { at: Date.parse(kept.effectiveAt), value: 168, low: 98, source: 'manual' },
    ]);
    expect(
      bloodPressurePoints(byCode, { includeWithdrawn: true }).map((p) => [p.value, p.low, p.withdrawn]),
    ).toEqual([
      [210, 130, true],
      [168, 98, undefined],
    ]);
  });

  it('shows "09:43" today, "12 Nov" earlier this year, and the year before that', () => {
    const now = new Date(2026, 11, 1, 15, 0);
    expect(shortTime(new Date(2026, 11, 1, 9, 43).toISOString(), now)).toBe('09:43');
    expect(shortTime(new Date(2026, 10, 12, 9, 43).toISOString(), now)).toBe('12 Nov');
    expect(shortTime(new Date(2025, 10, 12, 9, 43).toISOString(), now)).toBe('12 Nov 2025');
  });
});
