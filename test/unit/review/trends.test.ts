import { describe, expect, it } from 'vitest';
import { parameterScoreOf } from '../../../shared/clinical/abnormal';
import { VITALS, type VitalKind } from '../../../shared/clinical/vital-signs';
import type { Observation } from '../../../shared/records';
import { observationOf } from '../../support/observations';
import type { RemoteObservation } from '../../../shared/fhir/from-observation';
import {
  historyCodes,
  localSeriesIds,
  NEWS2_NORMAL_BANDS,
  remotePoints,
  TREND_SPECS,
  trendPoints,
  type TrendSpec,
} from '../../../renderer/src/screens/review/trends';

const observation = observationOf;

const bp = (sys: number, dia: number, effectiveAt: string, method: Observation['method'] = 'manual') =>
  observation('bloodPressure', {
    effectiveAt,
    method,
    components: [
      { kind: 'systolic', code: VITALS.systolic.loinc, value: sys, unit: 'mm[Hg]' },
      { kind: 'diastolic', code: VITALS.diastolic.loinc, value: dia, unit: 'mm[Hg]' },
    ],
  });

const trend = (id: string): TrendSpec => {
  const found = TREND_SPECS.find((s) => s.id === id);
  if (!found) throw new Error(`no trend ${id}`);
  return found;
};

const byCode = (list: Observation[]) => {
  const map = new Map<string, Observation[]>();
  for (const o of list) map.set(o.code, [...(map.get(o.code) ?? []), o]);
  return map;
};

describe('trend charts of the review screen', () => {
  it('covers heart rate, BP, SpO2, temperature, respiratory rate, weight and glucose with their units', () => {
    expect(TREND_SPECS.map((s) => [s.id, s.unitLabel])).toEqual([
      ['heartRate', 'bpm'],
      ['systolic', 'mmHg'],
      ['diastolic', 'mmHg'],
      ['spo2', '%'],
      ['bodyTemperature', '°C'],
      ['respiratoryRate', 'breaths/min'],
      ['bodyWeight', 'kg'],
      ['glucose', 'mg/dL'],
    ]);
    // One history call per code: the BP panel is fetched once for both BP charts.
    expect(historyCodes()).toEqual([
      '8867-4',
      '85354-9',
      '8480-6',
      '8462-4',
      '59408-5',
      '8310-5',
      '9279-1',
      '29463-7',
      '41653-7',
    ]);
  });

  it('shades exactly the NEWS2 score-0 range: its edges score 0, one step outside scores more', () => {
    const step: Partial<Record<VitalKind, number>> = { bodyTemperature: 0.1 };
    for (const [kind, band] of Object.entries(NEWS2_NORMAL_BANDS) as [
      VitalKind,
      { from: number; to: number },
    ][]) {
      const d = step[kind] ?? 1;
      expect(parameterScoreOf(kind, band.from), `${kind} ${band.from}`).toBe(0);
      expect(parameterScoreOf(kind, band.to), `${kind} ${band.to}`).toBe(0);
      expect(parameterScoreOf(kind, band.from - d), `${kind} below`).toBeGreaterThan(0);
      if (kind !== 'spo2') expect(parameterScoreOf(kind, band.to + d), `${kind} above`).toBeGreaterThan(0);
    }
    // Vitals NEWS2 does not score carry no band.
    expect(trend('diastolic').normal).toBeUndefined();
    expect(trend('bodyWeight').normal).toBeUndefined();
    expect(trend('glucose').normal).toBeUndefined();
    expect(trend('systolic').normal).toEqual({ from: 111, to: 219, kind: 'normal' });
  });

  it('takes systolic and diastolic from BP panels and from lone readings, oldest first, device vs manual', () => {
    const history = byCode([
      bp(142, 91, '2026-03-01T10:00:00.000Z', 'device'),
      bp(128, 82, '2026-01-15T10:00:00.000Z'),
      observation('systolic', { value: 135, effectiveAt: '2026-02-01T10:00:00.000Z' }),
    ]);
    expect(trendPoints(trend('systolic'), history)).toEqual([
      { at: Date.parse('2026-01-15T10:00:00.000Z'), value: 128, source: 'manual' },
      { at: Date.parse('2026-02-01T10:00:00.000Z'), value: 135, source: 'manual' },
      { at: Date.parse('2026-03-01T10:00:00.000Z'), value: 142, source: 'device' },
    ]);
    expect(trendPoints(trend('diastolic'), history).map((p) => [p.value, p.source])).toEqual([
      [82, 'manual'],
      [91, 'device'],
    ]);
  });

  it('leaves out values entered in error, panels missing the component, and other vitals', () => {
    const history = byCode([
      observation('heartRate', { value: 72, effectiveAt: '2026-01-01T10:00:00.000Z' }),
      observation('heartRate', {
        value: 180,
        effectiveAt: '2026-01-02T10:00:00.000Z',
        status: 'entered-in-error',
        reason: 'wrong patient',
      }),
      observation('heartRate', { value: 88, effectiveAt: '2026-01-03T10:00:00.000Z', method: 'device' }),
      observation('bloodPressure', {
        effectiveAt: '2026-01-03T10:00:00.000Z',
        components: [{ kind: 'diastolic', code: VITALS.diastolic.loinc, value: 80, unit: 'mm[Hg]' }],
      }),
      observation('spo2', { value: 97 }),
    ]);
    expect(trendPoints(trend('heartRate'), history).map((p) => [p.value, p.source])).toEqual([
      [72, 'manual'],
      [88, 'device'],
    ]);
    expect(trendPoints(trend('systolic'), history)).toEqual([]);
    expect(trendPoints(trend('glucose'), history)).toEqual([]);
    expect(trendPoints(trend('glucose'), new Map())).toEqual([]);
  });

  it('charts values from other workstations as remote points, leaving out this workstation’s own and withdrawn ones', () => {
    const own = observation('heartRate', { value: 70, effectiveAt: '2026-02-01T10:00:00.000Z' });
    const local = localSeriesIds(byCode([own, bp(120, 80, '2026-02-01T10:00:00.000Z')]));
    expect(local.size).toBe(2);
    const remote: RemoteObservation[] = [
      // Sent by this workstation: already on the chart from the local history.
      {
        seriesId: own.seriesId,
        version: 1,
        status: 'final',
        values: [{ kind: 'heartRate', value: 70 }],
        effectiveAt: own.effectiveAt,
      },
      // Recorded elsewhere, then corrected there: only the newest version counts.
      {
        seriesId: 's-elsewhere',
        version: 1,
        status: 'final',
        values: [{ kind: 'heartRate', value: 130 }],
        effectiveAt: '2026-01-10T08:00:00.000Z',
      },
      {
        seriesId: 's-elsewhere',
        version: 2,
        status: 'amended',
        values: [{ kind: 'heartRate', value: 103 }],
        effectiveAt: '2026-01-10T08:00:00.000Z',
      },
      // Withdrawn elsewhere.
      {
        seriesId: 's-withdrawn',
        version: 1,
        status: 'final',
        values: [{ kind: 'heartRate', value: 55 }],
        effectiveAt: '2026-01-11T08:00:00.000Z',
      },
      {
        seriesId: 's-withdrawn',
        version: 2,
        status: 'entered-in-error',
        values: [{ kind: 'heartRate', value: 55 }],
        effectiveAt: '2026-01-11T08:00:00.000Z',
      },
      // Another system's observation without our identifier, and a BP panel with components.
      {
        remoteId: 'Observation/77',
        status: 'final',
        values: [{ kind: 'heartRate', value: 66 }],
        effectiveAt: '2025-12-24T08:00:00.000Z',
      },
      {
        remoteId: 'Observation/78',
        status: 'final',
        values: [
          { kind: 'systolic', value: 151 },
          { kind: 'diastolic', value: 95 },
        ],
        effectiveAt: '2025-12-24T08:05:00.000Z',
      },
    ];
    expect(remotePoints(trend('heartRate'), remote, local)).toEqual([
      { at: Date.parse('2025-12-24T08:00:00.000Z'), value: 66, source: 'remote' },
      { at: Date.parse('2026-01-10T08:00:00.000Z'), value: 103, source: 'remote' },
    ]);
    expect(remotePoints(trend('systolic'), remote, local).map((p) => p.value)).toEqual([151]);
    expect(remotePoints(trend('diastolic'), remote, local).map((p) => p.value)).toEqual([95]);
    expect(remotePoints(trend('glucose'), remote, local)).toEqual([]);
  });
});
