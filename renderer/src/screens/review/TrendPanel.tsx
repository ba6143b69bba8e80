import { useEffect, useMemo, useState } from 'react';
import type { Observation } from '../../../../shared/records';
import { TrendChart } from '../../charts/TrendChart';
import {
  bloodPressurePoints,
  BP_NORMAL_BANDS,
  CHART_IDS,
  homePoints,
  localSeriesIds,
  rangeWindow,
  remotePoints,
  TREND_RANGES,
  TREND_SPECS,
  trendPoints,
  type TrendPoint,
  type TrendRange,
  type TrendSpec,
} from './trends';
import type { RemoteState } from './useRemoteObservations';
import type { HomeDataState } from './useHomeData';
import { HOME_MEASURE_LABELS, homeSourceText } from '../../../../shared/home-data/words';

const specOf = (id: string): TrendSpec => TREND_SPECS.find((s) => s.id === id)!;

/** Other workstations' BP: their systolic and diastolic values at one time make one bar. */
function remoteBars(pulled: Parameters<typeof remotePoints>[1], local: ReadonlySet<string>): TrendPoint[] {
  const lows = new Map(remotePoints(specOf('diastolic'), pulled, local).map((p) => [p.at, p.value]));
  return remotePoints(specOf('systolic'), pulled, local).flatMap((p) => {
    const low = lows.get(p.at);
    return low === undefined ? [] : [{ ...p, low }];
  });
}

/**
 * One chart per vital over a chosen range (this visit, 7 days, 90 days, 1 year), each as wide as the
 * panel: units on the axis, the normal range shaded, device values as filled dots joined by a line,
 * typed-in values as open rings, values from other workstations (when asked for) as squares, blood
 * pressure as systolic–diastolic bars; values entered in error only with "Show all", struck through.
 */
export function TrendPanel(props: {
  byCode: ReadonlyMap<string, readonly Observation[]> | null;
  error: string | null;
  remote: RemoteState;
  /** The patient's own values (home data), drawn dashed beside the clinic's; they never feed NEWS2 or a flag. */
  home?: HomeDataState;
  /** The visit in progress, for the "This visit" range; null: no visit. */
  visit: { id: string; start: string } | null;
}) {
  const { byCode, remote, visit } = props;
  const homeValues = props.home?.observations;
  const pulled = remote.observations;
  // Across visits first: a follow-up is read against the last ones.
  const [range, setRange] = useState<TrendRange>('90d');
  // The visit's window starts at its first value when that was measured before the visit was opened.
  const visitStart = useMemo(() => {
    if (!visit) return null;
    let start = Date.parse(visit.start);
    for (const list of byCode?.values() ?? [])
      for (const o of list)
        if (o.encounterId === visit.id) start = Math.min(start, Date.parse(o.effectiveAt));
    return start;
  }, [visit, byCode]);
  const [showAll, setShowAll] = useState(false);
  // "Now" moves on each minute, so a window stays still while read but a new value falls inside it.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const window = useMemo(() => rangeWindow(range, now, visitStart), [range, visitStart, now]);
  const charts = useMemo(() => {
    if (!byCode) return [];
    const local = localSeriesIds(byCode);
    const options = { includeWithdrawn: showAll };
    return CHART_IDS.map((id) => {
      if (id === 'bloodPressure') {
        const others = pulled ? remoteBars(pulled, local) : [];
        const home = homeValues ? homePoints(id, homeValues) : [];
        return {
          id,
          title: 'Blood pressure (systolic–diastolic)',
          unitLabel: 'mmHg',
          normal: BP_NORMAL_BANDS,
          bars: true,
          points: [...bloodPressurePoints(byCode, options), ...others, ...home],
          remote: others.length,
          home: home.length,
        };
      }
      const spec = specOf(id);
      const others = pulled ? remotePoints(spec, pulled, local) : [];
      const home = homeValues ? homePoints(id, homeValues) : [];
      return {
        id,
        title: spec.title,
        unitLabel: spec.unitLabel,
        normal: spec.normal,
        bars: false,
        points: [...trendPoints(spec, byCode, options), ...others, ...home],
        remote: others.length,
        home: home.length,
      };
    });
  }, [byCode, pulled, showAll, homeValues]);
  const withdrawn = useMemo(() => {
    if (!byCode) return 0;
    let n = 0;
    for (const list of byCode.values()) n += list.filter((o) => o.status === 'entered-in-error').length;
    return n;
  }, [byCode]);
  const included = charts.reduce((n, c) => n + c.remote, 0);
  return (
    <section className="panel review-trends" aria-labelledby="review-trends-heading">
      <div className="trends-head">
        <h2 id="review-trends-heading">Trends</h2>
        <div className="range-choice no-print" role="group" aria-label="Time range">
          {TREND_RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              aria-pressed={range === r.id}
              disabled={r.id === 'visit' && !visitStart}
              onClick={() => setRange(r.id)}
            >
              {r.label}
            </button>
          ))}
        </div>
        <span className="print-only">{TREND_RANGES.find((r) => r.id === range)?.label}</span>
      </div>
      <p className="hint trend-legend">
        <span className="legend-device" aria-hidden="true" /> from a device{' '}
        <span className="legend-manual" aria-hidden="true" /> typed in{' '}
        {pulled && (
          <>
            <span className="legend-remote" aria-hidden="true" /> other workstation{' '}
          </>
        )}
        {homeValues && homeValues.length > 0 && (
          <>
            <span className="legend-home" aria-hidden="true" /> Home (patient’s own){' '}
          </>
        )}
        <span className="legend-normal" aria-hidden="true" /> normal range
        {withdrawn > 0 && (
          <label className="show-all no-print">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show
            all, with {withdrawn === 1 ? '1 value' : `${withdrawn} values`} entered in error
          </label>
        )}
      </p>
      <RemoteBar remote={remote} included={included} />
      {props.home && <HomeSources home={props.home} />}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {!byCode && !props.error && <p className="hint">Loading the history…</p>}
      <div className="trend-grid">
        {charts.map((c) => (
          <div
            key={c.id}
            className="trend-cell"
            data-testid={`trend-${c.id}`}
            data-points={c.points.length}
            data-remote-points={c.remote}
            data-home-points={c.home}
          >
            <TrendChart
              title={c.title}
              unitLabel={c.unitLabel}
              points={c.points}
              {...(c.normal ? { normal: c.normal } : {})}
              window={window}
              bars={c.bars}
            />
          </div>
        ))}
      </div>
    </section>
  );
}

const values = (n: number) => `${n} ${n === 1 ? 'value' : 'values'}`;

const shortDate = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
    : '?';

/**
 * Which values came from home, and from where: on screen and in the printed summary, so nobody takes
 * a patient's own reading for one measured at the clinic.
 */
function HomeSources(props: { home: HomeDataState }) {
  const { home } = props;
  if (home.error)
    return (
      <p className="error" role="alert">
        {home.error}
      </p>
    );
  if (home.observations.length === 0) return null;
  const perMeasure = new Map<string, number>();
  for (const o of home.observations) perMeasure.set(o.measure, (perMeasure.get(o.measure) ?? 0) + 1);
  const first = home.observations[0]?.effectiveStart ?? null;
  const last = home.observations.at(-1)?.effectiveStart ?? null;
  return (
    <div className="home-sources" data-testid="home-sources">
      <p>
        <strong>
          Home data (patient-generated, not measured at the clinic; not used for NEWS2 or flags):
        </strong>{' '}
        {[...perMeasure]
          .map(
            ([m, n]) =>
              `${values(n)} of ${HOME_MEASURE_LABELS[m as keyof typeof HOME_MEASURE_LABELS].toLowerCase()}`,
          )
          .join(', ')}{' '}
        from {shortDate(first)} to {shortDate(last)}
        {home.truncated && ' (the most recent values are not all shown)'}.
      </p>
      <p>Sources: {home.sources.map((s) => `${homeSourceText(s)} (${values(s.count)})`).join('; ')}.</p>
    </div>
  );
}

/** The "Include values from other workstations" action, then what it brought. */
function RemoteBar(props: { remote: RemoteState; included: number }) {
  const { remote, included } = props;
  return (
    <div className="remote-bar" data-testid="remote-bar">
      {remote.observations === null ? (
        <button type="button" className="no-print" onClick={remote.include} disabled={remote.loading}>
          {remote.loading
            ? 'Fetching values from other workstations…'
            : 'Include values from other workstations'}
        </button>
      ) : (
        <span className="hint" data-testid="remote-status">
          {included === 0
            ? 'No values from other workstations for these charts.'
            : `Including ${values(included)} from other workstations (square markers).`}
          {remote.skipped > 0 &&
            ` ${values(remote.skipped)} on the server could not be read and are not shown.`}
        </span>
      )}
      {remote.error && (
        <p className="error" role="alert">
          {remote.error}
        </p>
      )}
    </div>
  );
}
