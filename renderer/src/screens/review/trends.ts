/**
 * Which trend charts the review screen draws, where each one's values come from (LOINC code and the
 * component or value of the observation), and the NEWS2 normal band shaded behind it. Pure: the
 * screen fetches `observations.history` per code and hands the lists here.
 */
import { PANELS, VITALS, type VitalKind } from '../../../../shared/clinical/vital-signs';
import type { RemoteObservation } from '../../../../shared/fhir/from-observation';
import { componentValue, type Observation, type ObservationKind } from '../../../../shared/records';
import type { HomeObservation } from '../../../../shared/home-data/import-summary';
import { homeMeasureSchema, type HomeMeasure } from '../../../../shared/home-data/record';
export { axisLabel, axisTicks } from '../../charts/time-axis';

/**
 * A chart point and a shaded band, as the TrendChart component takes them (same shapes, declared here
 * so this pure module and its tests need no JSX).
 */
export interface TrendPoint {
  /** Epoch milliseconds. */
  at: number;
  value: number;
  source: 'device' | 'manual' | 'remote' | 'home';
  /** Blood pressure: the diastolic value, drawn as the bottom of a systolic–diastolic bar. */
  low?: number;
  /** Withdrawn as entered in error: drawn only with "show all", struck through. */
  withdrawn?: boolean;
}
export interface TrendBand {
  from: number;
  to: number;
  kind: 'normal';
}

/** One place a trend's values are read from: observations with this LOINC code. */
interface TrendSource {
  code: string;
  /** A component of a panel (systolic of the BP panel), or the observation's own value. */
  component?: VitalKind;
}

export interface TrendSpec {
  id: string;
  title: string;
  vital: VitalKind;
  unitLabel: string;
  sources: readonly TrendSource[];
  /** The NEWS2 score-0 range, where NEWS2 scores this vital. */
  normal?: TrendBand;
}

/**
 * NEWS2 score-0 ranges (Royal College of Physicians, NEWS2 2017, chart 1): pulse 51–90 /min,
 * respiration 12–20 /min, SpO2 scale 1 ≥ 96 %, systolic 111–219 mmHg, temperature 36.1–38.0 °C.
 * Diastolic pressure, weight and glucose are not scored by NEWS2, so they have no band.
 */
export const NEWS2_NORMAL_BANDS: Readonly<Partial<Record<VitalKind, TrendBand>>> = {
  heartRate: { from: 51, to: 90, kind: 'normal' },
  respiratoryRate: { from: 12, to: 20, kind: 'normal' },
  spo2: { from: 96, to: 100, kind: 'normal' },
  systolic: { from: 111, to: 219, kind: 'normal' },
  bodyTemperature: { from: 36.1, to: 38.0, kind: 'normal' },
};

const bpPanel = PANELS.bloodPressure.loinc;

function spec(
  vital: VitalKind,
  title: string,
  sources: readonly TrendSource[] = [{ code: VITALS[vital].loinc }],
): TrendSpec {
  const normal = NEWS2_NORMAL_BANDS[vital];
  return {
    id: vital,
    title,
    vital,
    unitLabel: VITALS[vital].unitLabel,
    sources,
    ...(normal ? { normal } : {}),
  };
}

/** The charts, in the order a clinician reads vitals. BP comes from the panel or a lone systolic/diastolic. */
export const TREND_SPECS: readonly TrendSpec[] = [
  spec('heartRate', 'Heart rate'),
  spec('systolic', 'Blood pressure, systolic', [
    { code: bpPanel, component: 'systolic' },
    { code: VITALS.systolic.loinc },
  ]),
  spec('diastolic', 'Blood pressure, diastolic', [
    { code: bpPanel, component: 'diastolic' },
    { code: VITALS.diastolic.loinc },
  ]),
  spec('spo2', 'SpO₂'),
  spec('bodyTemperature', 'Temperature'),
  spec('respiratoryRate', 'Respiratory rate'),
  spec('bodyWeight', 'Weight'),
  spec('glucose', 'Glucose'),
];

/** Every LOINC code the charts need, once each: one `observations.history` call per code. */
export function historyCodes(specs: readonly TrendSpec[] = TREND_SPECS): string[] {
  return [...new Set(specs.flatMap((s) => s.sources.map((source) => source.code)))];
}

/** Where a point came from, as the chart tells them apart: a connected device or typed in. */
export function sourceOf(observation: Observation): TrendPoint['source'] {
  return observation.method === 'device' ? 'device' : 'manual';
}

/**
 * The points of one chart, oldest first: every current value of the vital across visits, whether
 * recorded on its own or inside a panel. Values withdrawn as entered-in-error are left out; an
 * observation without the value (a panel missing that component) adds no point.
 */
export function trendPoints(
  trend: TrendSpec,
  historyByCode: ReadonlyMap<string, readonly Observation[]>,
  options: { includeWithdrawn?: boolean } = {},
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const source of trend.sources) {
    for (const o of historyByCode.get(source.code) ?? []) {
      const withdrawn = o.status === 'entered-in-error';
      if (withdrawn && !options.includeWithdrawn) continue;
      const value = source.component ? componentValue(o, source.component) : (o.value ?? undefined);
      const at = Date.parse(o.effectiveAt);
      if (value === undefined || !Number.isFinite(value) || Number.isNaN(at)) continue;
      points.push({ at, value, source: sourceOf(o), ...(withdrawn ? { withdrawn } : {}) });
    }
  }
  return points.sort((a, b) => a.at - b.at);
}

/**
 * Blood pressure as systolic–diastolic bars: one point per reading, systolic as `value` and diastolic
 * as `low`. A lone systolic or diastolic reading (no panel) is left out: a bar needs both ends.
 */
export function bloodPressurePoints(
  historyByCode: ReadonlyMap<string, readonly Observation[]>,
  options: { includeWithdrawn?: boolean } = {},
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const o of historyByCode.get(bpPanel) ?? []) {
    const withdrawn = o.status === 'entered-in-error';
    if (withdrawn && !options.includeWithdrawn) continue;
    const sys = componentValue(o, 'systolic');
    const dia = componentValue(o, 'diastolic');
    const at = Date.parse(o.effectiveAt);
    if (sys === undefined || dia === undefined || Number.isNaN(at)) continue;
    points.push({ at, value: sys, low: dia, source: sourceOf(o), ...(withdrawn ? { withdrawn } : {}) });
  }
  return points.sort((a, b) => a.at - b.at);
}

/**
 * The shaded normal range of the BP bars: systolic 90–119 and diastolic 60–79 mmHg, i.e. below the
 * 120/80 where both guidelines (ACC/AHA 2017 "normal", ESC/ESH 2023 "optimal") stop calling it normal.
 */
export const BP_NORMAL_BANDS: readonly TrendBand[] = [
  { from: 60, to: 79, kind: 'normal' },
  { from: 90, to: 119, kind: 'normal' },
];

/** The charts the panel draws: BP as one chart of bars, the others one line each. */
export const CHART_IDS = [
  'heartRate',
  'bloodPressure',
  'spo2',
  'bodyTemperature',
  'respiratoryRate',
  'bodyWeight',
  'glucose',
] as const;

export type TrendRange = 'visit' | '7d' | '90d' | '1y';
export const TREND_RANGES: readonly { id: TrendRange; label: string }[] = [
  { id: 'visit', label: 'This visit' },
  { id: '7d', label: '7 days' },
  { id: '90d', label: '90 days' },
  { id: '1y', label: '1 year' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGE_DAYS: Readonly<Record<Exclude<TrendRange, 'visit'>, number>> = { '7d': 7, '90d': 90, '1y': 365 };

/**
 * The time window of a range, in epoch ms: the last 7/90/365 days to now, or this visit from its
 * start (less a quarter hour) to now (plus a quarter hour, so the newest point is not on the edge).
 * A fixed window gives a real time axis even with one point or none.
 */
export function rangeWindow(range: TrendRange, now: number, visitStart: number | null): [number, number] {
  if (range === 'visit') {
    const start = visitStart ?? now - 2 * HOUR;
    return [start - HOUR / 4, Math.max(now, start + HOUR / 2) + HOUR / 4];
  }
  // A little room after now, so today's values are not drawn on the chart's edge.
  const span = RANGE_DAYS[range] * DAY;
  return [now - span, now + span * 0.03];
}

/** "↑ 12 mmHg since 12 Nov": the change from the previous visit's value of one vital. */
export interface ChangeSinceLastVisit {
  /** Current minus previous, per part ([systolic, diastolic] for blood pressure). */
  deltas: number[];
  since: string;
}

/**
 * The change of the latest value from the newest current value of an earlier visit (another
 * encounter, or none, measured before it). Null when there is no earlier visit's value.
 */
export function changeSinceLastVisit(
  latest: Observation,
  history: readonly Observation[],
  parts: (o: Observation) => number[] | null,
): ChangeSinceLastVisit | null {
  const now = parts(latest);
  if (!now) return null;
  // Only the current version of each measurement counts (a corrected value replaces its original).
  const current = new Map<string, Observation>();
  for (const o of history) {
    const seen = current.get(o.seriesId);
    if (!seen || o.recordedAt > seen.recordedAt) current.set(o.seriesId, o);
  }
  let previous: Observation | null = null;
  for (const o of current.values()) {
    if (o.status === 'entered-in-error' || o.seriesId === latest.seriesId) continue;
    if (latest.encounterId !== null && o.encounterId === latest.encounterId) continue;
    if (o.effectiveAt >= latest.effectiveAt) continue;
    if (!previous || o.effectiveAt > previous.effectiveAt) previous = o;
  }
  const before = previous ? parts(previous) : null;
  if (!previous || !before || before.length !== now.length) return null;
  return { deltas: now.map((v, i) => v - before[i]!), since: previous.effectiveAt };
}

/** The series ids of every observation this workstation holds in the charted history. */
export function localSeriesIds(historyByCode: ReadonlyMap<string, readonly Observation[]>): Set<string> {
  const ids = new Set<string>();
  for (const list of historyByCode.values()) for (const o of list) ids.add(o.seriesId);
  return ids;
}

/**
 * Values pulled from the FHIR server as points of one chart, marked `remote`. Those this workstation
 * recorded itself (their series id is a local one) are charted from the local history already and are
 * left out; of several versions of one measurement only the newest counts, and a withdrawn
 * (entered-in-error) one adds nothing.
 */
export function remotePoints(
  trend: TrendSpec,
  remote: readonly RemoteObservation[],
  localSeries: ReadonlySet<string>,
): TrendPoint[] {
  const newest = new Map<string, RemoteObservation>();
  remote.forEach((o, i) => {
    if (o.seriesId && localSeries.has(o.seriesId)) return;
    const key = o.seriesId ?? o.remoteId ?? `#${i}`;
    const seen = newest.get(key);
    if (!seen || (o.version ?? 0) > (seen.version ?? 0)) newest.set(key, o);
  });
  const points: TrendPoint[] = [];
  for (const o of newest.values()) {
    if (o.status === 'entered-in-error') continue;
    const at = Date.parse(o.effectiveAt);
    const value = o.values.find((v) => v.kind === trend.vital)?.value;
    if (value === undefined || Number.isNaN(at)) continue;
    points.push({ at, value, source: 'remote' });
  }
  return points.sort((a, b) => a.at - b.at);
}

/** Which home measure each chart shows beside the clinic's values (steps, sleep and height have no chart). */
const HOME_MEASURE_OF_CHART: Readonly<Record<(typeof CHART_IDS)[number], HomeMeasure>> = {
  heartRate: 'heartRate',
  bloodPressure: 'bloodPressure',
  spo2: 'spo2',
  bodyTemperature: 'bodyTemperature',
  respiratoryRate: 'respiratoryRate',
  bodyWeight: 'bodyWeight',
  glucose: 'glucose',
};

/**
 * The patient's own values (home data) for one chart, oldest first, drawn apart from the clinic's
 * (source `home`). Blood pressure comes as bars (systolic as `value`, diastolic as `low`). Values are
 * stored in the same canonical units as the clinic's, so they share the chart's axis.
 */
export function homePoints(
  chart: (typeof CHART_IDS)[number],
  home: readonly HomeObservation[],
): TrendPoint[] {
  const measure = HOME_MEASURE_OF_CHART[chart];
  const points: TrendPoint[] = [];
  for (const h of home) {
    if (h.measure !== measure) continue;
    const at = Date.parse(h.effectiveStart);
    if (Number.isNaN(at) || !Number.isFinite(h.value)) continue;
    if (measure === 'bloodPressure') {
      if (h.diastolic == null) continue;
      points.push({ at, value: h.value, low: h.diastolic, source: 'home' });
    } else points.push({ at, value: h.value, source: 'home' });
  }
  return points.sort((a, b) => a.at - b.at);
}

/**
 * The patient's newest own value of a vital (home data), for a row of the latest vitals the clinic has
 * not measured: shown beside "Not taken", never as the clinic's value and never flagged.
 */
export function latestHomeOf(
  kind: ObservationKind,
  home: readonly HomeObservation[],
): HomeObservation | null {
  const measure = homeMeasureSchema.safeParse(kind);
  if (!measure.success) return null;
  let newest: HomeObservation | null = null;
  for (const h of home) {
    if (h.measure !== measure.data || !Number.isFinite(h.value)) continue;
    if (measure.data === 'bloodPressure' && h.diastolic == null) continue;
    if (!newest || Date.parse(h.effectiveStart) > Date.parse(newest.effectiveStart)) newest = h;
  }
  return newest;
}
