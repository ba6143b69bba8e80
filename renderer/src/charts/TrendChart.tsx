import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisLabel, axisTicks } from './time-axis';

export interface TrendPoint {
  /** Epoch milliseconds. */
  at: number;
  value: number;
  /** `remote`: recorded at another workstation and fetched from the FHIR server; `home`: the patient's own (home data). */
  source: 'device' | 'manual' | 'remote' | 'home';
  /** Blood pressure: the diastolic end of the bar. */
  low?: number;
  /** Withdrawn as entered in error: shown grey and struck through. */
  withdrawn?: boolean;
}

export interface TrendBand {
  from: number;
  to: number;
  kind: 'normal';
}

const DEVICE = '#0b5cad';
const MANUAL = '#8a5300';
const REMOTE = '#6b2c91';
const WITHDRAWN = '#7a868f';
/** The patient's own values: a dashed line with small open dots, so they never pass for the clinic's. */
const HOME = '#0f766e';

/**
 * One vital over a fixed time window, as wide as its panel. Device, typed-in and other-workstation
 * values differ by shape (filled dot, open ring, square), not only colour; the normal range is shaded;
 * blood pressure is drawn as systolic–diastolic bars; values withdrawn as entered in error appear only
 * when asked for, grey and struck through. The time axis is the window's (hours within a visit, days
 * or months across visits), so one point still sits on a sensible axis.
 */
export function TrendChart(props: {
  title: string;
  unitLabel: string;
  points: readonly TrendPoint[];
  normal?: TrendBand | readonly TrendBand[];
  /** [from, to] in epoch ms. */
  window: readonly [number, number];
  /** Systolic–diastolic bars (points carry `low`). */
  bars?: boolean;
  height?: number;
}) {
  const { title, unitLabel, points, normal, window: range, bars = false, height = 150 } = props;
  const [from, to] = range;
  const hostRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  // Follow the panel's width (and the window's): the chart is never a fixed third of its panel.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0);
      setWidth((old) => (Math.abs(old - w) >= 2 ? w : old));
    });
    observer.observe(host);
    return () => observer.disconnect();
  }, []);

  const shown = points.filter((p) => p.at >= from && p.at <= to).sort((a, b) => a.at - b.at);
  const bands: readonly TrendBand[] = normal ? (Array.isArray(normal) ? normal : [normal as TrendBand]) : [];

  useEffect(() => {
    const host = hostRef.current;
    if (!host || width < 100) return;
    const xs = shown.map((p) => p.at);
    const live = (source: TrendPoint['source']) =>
      shown.map((p) => (p.source === source && !p.withdrawn && !bars ? p.value : null));
    const lows = shown.map((p) => p.low ?? p.value);
    const highs = shown.map((p) => p.value);
    // About one tick per 90 px, so labels never run into each other.
    const ticks = axisTicks(from, to, Math.max(3, Math.floor(width / 90)));
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: () => [from, to] },
        y: {
          range: () => {
            const values = [...lows, ...highs, ...bands.flatMap((b) => [b.from, b.to])];
            const min = values.length ? Math.min(...values) : 0;
            const max = values.length ? Math.max(...values) : 1;
            const pad = max > min ? (max - min) * 0.1 : Math.max(1, Math.abs(max) * 0.05);
            return [min - pad, max + pad];
          },
        },
      },
      axes: [
        {
          stroke: '#14212b',
          splits: () => ticks,
          values: (_u, splits) => splits.map((v) => axisLabel(v, to - from)),
          grid: { stroke: '#e3e8ec' },
        },
        {
          stroke: '#14212b',
          label: unitLabel,
          size: 52,
          grid: { stroke: '#e3e8ec' },
          values: (_u, splits) => splits.map((v) => String(Math.round(v * 10) / 10)),
        },
      ],
      series: [
        {},
        {
          label: 'Device',
          stroke: DEVICE,
          width: 2,
          points: { show: true, size: 8, fill: DEVICE },
          spanGaps: true,
        },
        {
          label: 'Typed in',
          stroke: MANUAL,
          width: 0,
          points: { show: true, size: 10, fill: '#ffffff', stroke: MANUAL, width: 2 },
          spanGaps: true,
        },
        {
          label: 'Home',
          stroke: HOME,
          width: 1.5,
          dash: [5, 4],
          // A CGM trace (a reading every 5 minutes) is read as a line; dots only where they can be told apart.
          points: {
            show: shown.filter((p) => p.source === 'home').length <= 300,
            size: 5,
            fill: '#ffffff',
            stroke: HOME,
            width: 1.5,
          },
          spanGaps: false,
        },
        {
          label: 'Other workstation',
          stroke: REMOTE,
          width: 0,
          points: { show: true, size: 10, fill: REMOTE, stroke: REMOTE, width: 1, paths: squarePoints },
          spanGaps: true,
        },
      ],
      hooks: {
        drawClear: [
          (u) => {
            u.ctx.save();
            u.ctx.fillStyle = 'rgba(29, 107, 58, 0.14)';
            for (const band of bands) {
              const top = u.valToPos(band.to, 'y', true);
              const bottom = u.valToPos(band.from, 'y', true);
              u.ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
            }
            u.ctx.restore();
          },
        ],
        draw: [(u) => drawExtras(u, shown, bars)],
      },
    };
    const plot = new uPlot(options, [xs, live('device'), live('manual'), live('home'), live('remote')], host);
    return () => plot.destroy();
    // `shown` and `bands` are derived from these props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [points, normal, unitLabel, width, height, from, to, bars]);

  const withdrawn = shown.filter((p) => p.withdrawn).length;
  const labels = axisTicks(from, to, Math.max(3, Math.floor(width / 90))).map((t) => axisLabel(t, to - from));
  return (
    <figure className="trend-chart">
      <figcaption>
        {title} <span className="unit">({unitLabel})</span>
        {shown.length === 0 && <span className="hint"> · no values in this range</span>}
        {withdrawn > 0 && <span className="hint"> · {withdrawn} entered in error (struck through)</span>}
      </figcaption>
      <div
        ref={hostRef}
        className="trend-plot"
        role="img"
        aria-label={`${title} trend, ${shown.length} values from ${labels[0] ?? ''} to ${labels.at(-1) ?? ''}`}
        data-axis-labels={labels.join('|')}
        data-shown={shown.length}
      />
    </figure>
  );
}

/** Blood-pressure bars, and values entered in error (grey, struck through), over the series. */
function drawExtras(u: uPlot, shown: readonly TrendPoint[], bars: boolean): void {
  const ctx = u.ctx;
  const r = uPlot.pxRatio;
  ctx.save();
  for (const p of shown) {
    const x = u.valToPos(p.at, 'x', true);
    const top = u.valToPos(p.value, 'y', true);
    const colour = p.withdrawn
      ? WITHDRAWN
      : p.source === 'device'
        ? DEVICE
        : p.source === 'manual'
          ? MANUAL
          : p.source === 'home'
            ? HOME
            : REMOTE;
    if (bars && p.low !== undefined) {
      const bottom = u.valToPos(p.low, 'y', true);
      const half = 5 * r;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 3 * r;
      ctx.setLineDash(p.withdrawn || p.source === 'home' ? [3 * r, 3 * r] : []);
      if (p.source === 'home') ctx.lineWidth = 1.5 * r;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      // Caps: filled for a device reading, open for a typed one, so the two differ without colour.
      for (const y of [top, bottom]) {
        ctx.beginPath();
        ctx.rect(x - half, y - 2 * r, half * 2, 4 * r);
        ctx.fillStyle = (p.source === 'manual' || p.source === 'home') && !p.withdrawn ? '#ffffff' : colour;
        ctx.fill();
        ctx.lineWidth = 1.5 * r;
        ctx.stroke();
      }
    } else if (p.withdrawn) {
      ctx.strokeStyle = WITHDRAWN;
      ctx.lineWidth = 1.5 * r;
      ctx.beginPath();
      ctx.arc(x, top, 5 * r, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (p.withdrawn) {
      // Struck through: a line across the withdrawn value.
      const s = 8 * r;
      ctx.strokeStyle = WITHDRAWN;
      ctx.lineWidth = 2 * r;
      ctx.beginPath();
      ctx.moveTo(x - s, top + s);
      ctx.lineTo(x + s, top - s);
      ctx.stroke();
    }
  }
  ctx.restore();
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
