/**
 * A watch ECG laid out as on ECG paper: 25 mm/s across, 10 mm/mV up, in rows of 10 s (a 30 s recording
 * is three rows). Pure: the strip component draws what this returns, in millimetres of paper.
 */

export const PAPER = {
  mmPerSecond: 25,
  mmPerMillivolt: 10,
  secondsPerRow: 10,
  /** ±1.5 mV around the baseline, a multiple of the 5 mm grid. */
  rowHeightMm: 30,
} as const;

/** Above this many points a row is drawn from each column's lowest and highest sample (drawing only). */
export const MAX_POINTS_PER_ROW = 6_000;

export interface EcgPaperRow {
  /** Seconds from the start of the recording at the row's left edge. */
  startSeconds: number;
  /** The row's length in seconds (the last row may be shorter). */
  seconds: number;
  /** SVG polyline points in mm, x from the row's left edge, y from its top; the baseline is mid-row. */
  points: string;
  /** How many points the polyline has. */
  pointCount: number;
}

/** The middle value of the trace: the baseline the rows are centred on (a watch trace can sit off zero). */
export function baselineOf(microvolts: ArrayLike<number>): number {
  if (microvolts.length === 0) return 0;
  const sorted = Float64Array.from(microvolts).sort();
  return sorted[Math.floor(sorted.length / 2)]!;
}

const mm = (v: number): string => (Math.round(v * 100) / 100).toString();

/** The recording in rows of paper. Each sample keeps its true time and amplitude (calibrated, not fitted). */
export function ecgPaperRows(
  microvolts: ArrayLike<number>,
  sampleRateHz: number,
  maxPointsPerRow: number = MAX_POINTS_PER_ROW,
): EcgPaperRow[] {
  if (!(sampleRateHz > 0) || microvolts.length === 0) return [];
  const baseline = baselineOf(microvolts);
  const perRow = Math.round(sampleRateHz * PAPER.secondsPerRow);
  const mid = PAPER.rowHeightMm / 2;
  const y = (uv: number): number => mid - ((uv - baseline) / 1000) * PAPER.mmPerMillivolt;
  const rows: EcgPaperRow[] = [];
  for (let start = 0; start < microvolts.length; start += perRow) {
    const end = Math.min(start + perRow, microvolts.length);
    const count = end - start;
    const parts: string[] = [];
    if (count <= maxPointsPerRow) {
      for (let i = start; i < end; i++) {
        parts.push(`${mm(((i - start) / sampleRateHz) * PAPER.mmPerSecond)},${mm(y(microvolts[i]!))}`);
      }
    } else {
      // Min and max of each column, in the order they occur, so a QRS spike keeps its full height.
      const columns = Math.floor(maxPointsPerRow / 2);
      const step = count / columns;
      for (let c = 0; c < columns; c++) {
        const from = start + Math.floor(c * step);
        const to = Math.min(end, start + Math.floor((c + 1) * step));
        let lo = from;
        let hi = from;
        for (let i = from; i < to; i++) {
          if (microvolts[i]! < microvolts[lo]!) lo = i;
          if (microvolts[i]! > microvolts[hi]!) hi = i;
        }
        for (const i of lo <= hi ? [lo, hi] : [hi, lo]) {
          parts.push(`${mm(((i - start) / sampleRateHz) * PAPER.mmPerSecond)},${mm(y(microvolts[i]!))}`);
        }
      }
    }
    rows.push({
      startSeconds: start / sampleRateHz,
      seconds: count / sampleRateHz,
      points: parts.join(' '),
      pointCount: parts.length,
    });
  }
  return rows;
}
