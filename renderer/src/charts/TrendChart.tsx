import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TrendPoint {
  /** Epoch milliseconds. */
  at: number;
  value: number;
  /** `remote`: recorded at another workstation and fetched from the FHIR server. */
  source: 'device' | 'manual' | 'remote';
}

export interface TrendBand {
  from: number;
  to: number;
  /** Shading of the band: the normal range in green, others unshaded. */
  kind: 'normal';
}

/**
 * One vital over time. Device, manual and other-workstation values are separate series with different
 * point shapes, so a clinician can tell them apart without colour; the normal range is shaded behind the points.
 */
export function TrendChart(props: {
  title: string;
  unitLabel: string;
  points: readonly TrendPoint[];
  normal?: TrendBand;
  width?: number;
  height?: number;
}) {
  const { title, unitLabel, points, normal, width = 520, height = 200 } = props;
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const sorted = [...points].sort((a, b) => a.at - b.at);
    const xs = sorted.map((p) => p.at / 1000);
    const device = sorted.map((p) => (p.source === 'device' ? p.value : null));
    const manual = sorted.map((p) => (p.source === 'manual' ? p.value : null));
    const remote = sorted.map((p) => (p.source === 'remote' ? p.value : null));
    const options: uPlot.Options = {
      width,
      height,
      // Padded so points at the ends are drawn whole; the y range takes in the normal band, so a
      // value's place relative to it shows even when every value lies on one side of it.
      // The screen draws one legend for all charts; uPlot's per-chart hover legend would repeat it.
      legend: { show: false },
      scales: {
        x: { time: true, range: (_u, min, max) => padRange(min, max, 12 * 3600) },
        y: {
          range: (_u, min, max) =>
            padRange(Math.min(min, normal?.from ?? min), Math.max(max, normal?.to ?? max), 1),
        },
      },
      axes: [{ stroke: '#14212b' }, { stroke: '#14212b', label: unitLabel, size: 56 }],
      series: [
        {},
        {
          label: 'Device',
          stroke: '#0b5cad',
          width: 2,
          points: { show: true, size: 8, fill: '#0b5cad' },
          spanGaps: true,
        },
        {
          label: 'Manual',
          stroke: '#8a5300',
          width: 0,
          points: { show: true, size: 10, fill: '#ffffff', stroke: '#8a5300', width: 2 },
          spanGaps: true,
        },
        {
          label: 'Other workstation',
          stroke: '#6b2c91',
          width: 0,
          points: { show: true, size: 10, fill: '#6b2c91', stroke: '#6b2c91', width: 1, paths: squarePoints },
          spanGaps: true,
        },
      ],
      hooks: normal
        ? {
            drawClear: [
              (u) => {
                const top = u.valToPos(normal.to, 'y', true);
                const bottom = u.valToPos(normal.from, 'y', true);
                u.ctx.save();
                u.ctx.fillStyle = 'rgba(29, 107, 58, 0.12)';
                u.ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
                u.ctx.restore();
              },
            ],
          }
        : {},
    };
    const plot = new uPlot(options, [xs, device, manual, remote], host);
    return () => plot.destroy();
  }, [points, normal, unitLabel, width, height]);

  return (
    <figure className="trend-chart">
      <figcaption>
        {title} <span className="unit">({unitLabel})</span>
      </figcaption>
      <div ref={hostRef} role="img" aria-label={`${title} trend, ${points.length} values`} />
    </figure>
  );
}

/** [min, max] widened by 6 % of the span on each side, or by `halfSpanIfFlat` when all values are equal. */
function padRange(min: number, max: number, halfSpanIfFlat: number): [number, number] {
  const pad = max > min ? (max - min) * 0.06 : halfSpanIfFlat;
  return [min - pad, max + pad];
}

/** Square markers: values from other workstations differ from the round ones by shape, not only by colour. */
const squarePoints: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) => {
  const path = new Path2D();
  const half = 4.5 * uPlot.pxRatio;
  const xs = u.data[0];
  const ys = u.data[seriesIdx] ?? [];
  for (let i = idx0; i <= idx1; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined || y === null || y === undefined) continue;
    const cx = u.valToPos(x, 'x', true);
    const cy = u.valToPos(y, 'y', true);
    path.rect(cx - half, cy - half, half * 2, half * 2);
  }
  return { fill: path, stroke: path };
};
