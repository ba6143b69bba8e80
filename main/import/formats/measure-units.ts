/**
 * The units a home-data file may state for each measure (UCUM codes, and the plain words Open mHealth
 * and spreadsheets use), converted to the measure's canonical unit (HOME_MEASURE_UNITS). A unit not in
 * this table is reported by the reader; a value is never guessed into a unit.
 */
import { toCanonical } from '../../../shared/clinical/units';
import type { HomeMeasure } from '../../../shared/home-data/record';

type Convert = (value: number) => number;
const same: Convert = (v) => v;
const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;

const PER_MINUTE = ['/min', '{beats}/min', 'beats/min', 'bpm', '{beat}/min', 'count/min'];
const BREATHS = ['/min', '{breaths}/min', 'breaths/min', 'count/min'];
const PRESSURE: Record<string, Convert> = {
  'mm[Hg]': same,
  mmHg: same,
  kPa: (v) => round(toCanonical('systolic', v, 'kPa'), 1),
};

const TABLE: Readonly<Record<HomeMeasure, Readonly<Record<string, Convert>>>> = {
  heartRate: Object.fromEntries(PER_MINUTE.map((u) => [u, same])),
  restingHeartRate: Object.fromEntries(PER_MINUTE.map((u) => [u, same])),
  respiratoryRate: Object.fromEntries(BREATHS.map((u) => [u, same])),
  spo2: { '%': same },
  bodyTemperature: {
    Cel: same,
    '°C': same,
    C: same,
    degC: same,
    '[degF]': (v) => round(toCanonical('bodyTemperature', v, '[degF]'), 2),
    '°F': (v) => round(toCanonical('bodyTemperature', v, '[degF]'), 2),
    F: (v) => round(toCanonical('bodyTemperature', v, '[degF]'), 2),
    degF: (v) => round(toCanonical('bodyTemperature', v, '[degF]'), 2),
  },
  bodyWeight: {
    kg: same,
    g: (v) => v / 1000,
    '[lb_av]': (v) => round(toCanonical('bodyWeight', v, '[lb_av]'), 3),
    lb: (v) => round(toCanonical('bodyWeight', v, '[lb_av]'), 3),
    lbs: (v) => round(toCanonical('bodyWeight', v, '[lb_av]'), 3),
  },
  bodyHeight: {
    cm: same,
    m: (v) => round(v * 100, 2),
    mm: (v) => v / 10,
    '[in_i]': (v) => round(toCanonical('bodyHeight', v, '[in_i]'), 2),
    in: (v) => round(toCanonical('bodyHeight', v, '[in_i]'), 2),
  },
  glucose: {
    'mg/dL': same,
    'mg/dl': same,
    'mmol/L': (v) => round(toCanonical('glucose', v, 'mmol/L'), 1),
    'mmol/l': (v) => round(toCanonical('glucose', v, 'mmol/L'), 1),
  },
  bloodPressure: PRESSURE,
  steps: {
    '/d': same,
    '{steps}/d': same,
    '{steps}': same,
    '{step}': same,
    steps: same,
    count: same,
    '1': same,
  },
  sleep: { h: same, hours: same, min: (v) => round(v / 60, 3), minutes: (v) => round(v / 60, 3) },
};

/** Plausible range in the canonical unit: outside it a value is reported, not imported. */
export const PLAUSIBLE: Readonly<Record<HomeMeasure, readonly [number, number]>> = {
  heartRate: [20, 300],
  restingHeartRate: [20, 250],
  respiratoryRate: [2, 80],
  spo2: [50, 100],
  bodyTemperature: [30, 45],
  bodyWeight: [0.5, 400],
  bodyHeight: [30, 250],
  glucose: [10, 1000],
  bloodPressure: [40, 300],
  steps: [0, 200_000],
  sleep: [0, 24],
};

/** The conversion of `unit` for `measure` into its canonical unit, or undefined for an unknown unit. */
export function conversionFor(measure: HomeMeasure, unit: string): Convert | undefined {
  const table = TABLE[measure];
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

export function knownUnits(measure: HomeMeasure): string[] {
  return Object.keys(TABLE[measure]);
}
