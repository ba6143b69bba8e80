import { useMemo } from 'react';
import type { Observation } from '../../../../shared/records';
import { TrendChart } from '../../charts/TrendChart';
import { localSeriesIds, remotePoints, TREND_SPECS, trendPoints } from './trends';
import type { RemoteState } from './useRemoteObservations';

/**
 * One chart per vital across the patient's visits: units on the axis, the NEWS2 normal range shaded,
 * device values as filled dots joined by a line, typed-in values as open rings, and (when asked for)
 * values from other workstations as squares.
 */
export function TrendPanel(props: {
  byCode: ReadonlyMap<string, readonly Observation[]> | null;
  error: string | null;
  remote: RemoteState;
}) {
  const { byCode, remote } = props;
  const pulled = remote.observations;
  const charts = useMemo(() => {
    if (!byCode) return [];
    const local = localSeriesIds(byCode);
    return TREND_SPECS.map((spec) => {
      const others = pulled ? remotePoints(spec, pulled, local) : [];
      return { spec, points: [...trendPoints(spec, byCode), ...others], remote: others.length };
    });
  }, [byCode, pulled]);
  const included = charts.reduce((n, c) => n + c.remote, 0);
  return (
    <section className="panel review-trends" aria-labelledby="review-trends-heading">
      <h2 id="review-trends-heading">Trends across visits</h2>
      <p className="hint trend-legend">
        <span className="legend-device" aria-hidden="true" /> from a device{' '}
        <span className="legend-manual" aria-hidden="true" /> typed in{' '}
        {pulled && (
          <>
            <span className="legend-remote" aria-hidden="true" /> other workstation{' '}
          </>
        )}
        <span className="legend-normal" aria-hidden="true" /> NEWS2 normal range
      </p>
      <RemoteBar remote={remote} included={included} />
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {!byCode && !props.error && <p className="hint">Loading the history…</p>}
      <div className="trend-grid">
        {charts.map(({ spec, points, remote: fromOthers }) => (
          <div
            key={spec.id}
            className="trend-cell"
            data-testid={`trend-${spec.id}`}
            data-points={points.length}
            data-remote-points={fromOthers}
          >
            {points.length > 0 ? (
              <TrendChart
                title={spec.title}
                unitLabel={spec.unitLabel}
                points={points}
                {...(spec.normal ? { normal: spec.normal } : {})}
                width={440}
                height={180}
              />
            ) : (
              <figure className="trend-chart trend-empty">
                <figcaption>
                  {spec.title} <span className="unit">({spec.unitLabel})</span>
                </figcaption>
                <p className="hint">Not recorded yet.</p>
              </figure>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

const values = (n: number) => `${n} ${n === 1 ? 'value' : 'values'}`;

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
