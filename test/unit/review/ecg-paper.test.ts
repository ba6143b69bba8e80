/**
 * The watch ECG laid out as paper: 25 mm/s, 10 mm/mV, rows of 10 s, centred on the trace's baseline;
 * a row with more samples than a drawing needs keeps each column's extremes (a QRS keeps its height).
 */
import { describe, expect, it } from 'vitest';
import { baselineOf, ecgPaperRows, PAPER } from '../../../renderer/src/screens/review/ecg-paper';

const points = (s: string): [number, number][] =>
  s.split(' ').map((p) => p.split(',').map(Number) as [number, number]);

describe('ECG paper layout', () => {
  it('draws 30 s at 512 Hz as three rows of 10 s, every sample kept', () => {
    const uv = Float32Array.from({ length: 512 * 30 }, (_, i) => (i % 512 === 100 ? 1000 : 0));
    const rows = ecgPaperRows(uv, 512);
    expect(rows.map((r) => [r.startSeconds, r.seconds, r.pointCount])).toEqual([
      [0, 10, 5120],
      [10, 10, 5120],
      [20, 10, 5120],
    ]);
    const first = points(rows[0]!.points);
    // Sample 100 is at 100/512 s → 4.88 mm; 1 mV above a zero baseline is 10 mm above mid-row (15 mm).
    expect(first[100]).toEqual([4.88, 5]);
    expect(first[0]).toEqual([0, 15]);
    // The last sample of a row sits just short of 250 mm (10 s × 25 mm/s).
    expect(first.at(-1)![0]).toBeCloseTo((5119 / 512) * 25, 1);
    expect(PAPER.secondsPerRow * PAPER.mmPerSecond).toBe(250);
  });

  it.each([
    // [samples, rate, row lengths in seconds]
    [512 * 25, 512, [10, 10, 5]],
    [300 * 30, 300, [10, 10, 10]],
    [100, 1000, [0.1]],
  ])('%i samples at %i Hz make rows of %j s', (n, rate, seconds) => {
    const rows = ecgPaperRows(new Float32Array(n), rate);
    expect(rows.map((r) => r.seconds)).toEqual(seconds);
  });

  it('centres the rows on the median, so a trace sitting at +400 µV is drawn at mid-row', () => {
    const uv = [400, 400, 400, 1400, 400];
    expect(baselineOf(uv)).toBe(400);
    const [row] = ecgPaperRows(uv, 512);
    expect(points(row!.points).map((p) => p[1])).toEqual([15, 15, 15, 5, 15]);
    expect(baselineOf([])).toBe(0);
  });

  it('draws −1 mV 10 mm below the baseline (up is positive)', () => {
    const [row] = ecgPaperRows([0, 0, -1000], 512);
    expect(points(row!.points)[2]![1]).toBe(25);
  });

  it('reduces a dense row to column extremes in time order, keeping the spike’s full height', () => {
    const rate = 2000;
    const uv = new Float32Array(rate * 10);
    uv[7777] = 2000;
    uv[7778] = -500;
    const [row] = ecgPaperRows(uv, rate, 1000);
    expect(row!.pointCount).toBe(1000);
    const ys = points(row!.points).map((p) => p[1]);
    expect(Math.min(...ys)).toBe(15 - 20);
    expect(Math.max(...ys)).toBe(15 + 5);
    // The spike's max comes before its min, as in the samples.
    expect(ys.indexOf(-5)).toBeLessThan(ys.indexOf(20));
  });

  it('draws nothing for no samples or no sample rate', () => {
    expect(ecgPaperRows([], 512)).toEqual([]);
    expect(ecgPaperRows([1, 2], 0)).toEqual([]);
  });
});
