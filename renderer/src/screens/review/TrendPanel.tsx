import { useMemo } from 'react';
import type { Observation } from '../../../../shared/records';
import { TrendChart } from '../../charts/TrendChart';
import { TREND_SPECS, trendPoints } from './trends';

/**
 * One chart per vital across the patient's visits: units on the axis, the NEWS2 normal range shaded,
 * device values as filled dots joined by a line and typed-in values as open rings.
 */
export function TrendPanel(props: {
  byCode: ReadonlyMap<string, readonly Observation[]> | null;
  error: string | null;
}) {
  const charts = useMemo(
    () =>
      props.byCode ? TREND_SPECS.map((spec) => ({ spec, points: trendPoints(spec, props.byCode!) })) : [],
    [props.byCode],
  );
  return (
    <section className="panel review-trends" aria-labelledby="review-trends-heading">
      <h2 id="review-trends-heading">Trends across visits</h2>
      <p className="hint trend-legend">
        <span className="legend-device" aria-hidden="true" /> from a device{' '}
        <span className="legend-manual" aria-hidden="true" /> typed in{' '}
        <span className="legend-normal" aria-hidden="true" /> NEWS2 normal range
      </p>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {!props.byCode && !props.error && <p className="hint">Loading the history…</p>}
      <div className="trend-grid">
        {charts.map(({ spec, points }) => (
          <div
            key={spec.id}
            className="trend-cell"
            data-testid={`trend-${spec.id}`}
            data-points={points.length}
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
