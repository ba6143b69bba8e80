/**
 * What an import's preview counts while rows are staged, and how a later part of the file (read by a
 * second thread) is joined to it: the joined tally must be the one a single pass in file order gives.
 */
import { describe, expect, it } from 'vitest';
import { StageTally, type TalliedRow } from '../../../main/db/repositories/home-stage-tally';
import type { HomeRecord } from '../../../shared/home-data/record';

const PHONE = 'Jane’s iPhone';
const WATCH = 'Jane’s Apple Watch';

function heartRate(i: number, source = WATCH, device?: string): HomeRecord {
  return {
    sourceRecordId: `hr-${i}-${source}`,
    measure: 'heartRate',
    effectiveStart: `2026-03-01T08:${String(i).padStart(2, '0')}:00.000Z`,
    value: 60 + i,
    sourceName: source,
    ...(device ? { device } : {}),
  };
}

function stepsTotal(day: number, value: number): HomeRecord {
  return {
    sourceRecordId: `steps-${day}-${value}`,
    series: `apple-health:steps:2026-03-${String(day).padStart(2, '0')}`,
    measure: 'steps',
    effectiveStart: `2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`,
    effectiveEnd: `2026-03-${String(day + 1).padStart(2, '0')}T00:00:00.000Z`,
    value,
    sourceName: PHONE,
  };
}

const rowOf = (r: HomeRecord, seq: number): TalliedRow => ({
  seq,
  measure: r.measure,
  sourceName: r.sourceName ?? null,
  device: r.device ?? null,
  series: r.series ?? null,
});

/** Counts records as a stage does, numbering rows from `base`. */
function tallied(records: HomeRecord[], base = 0): StageTally {
  const tally = new StageTally();
  tally.read += records.length;
  records.forEach((r, i) => tally.counted(r, base + i + 1));
  return tally;
}

const shownValues = (tally: StageTally, measure: HomeRecord['measure']): number[] =>
  (tally.firstRows.get(measure) ?? []).map((s) => s.row.value);

describe('stage tally', () => {
  it('counts per measure and per source, singles apart from totals, and the time range', () => {
    const records = [heartRate(5), heartRate(1, PHONE, 'iPhone'), stepsTotal(2, 8000), heartRate(9)];
    const tally = tallied(records);
    expect(tally).toMatchObject({ read: 4, distinct: 4, singles: 3 });
    expect([...tally.perMeasure]).toEqual([
      ['heartRate', 3],
      ['steps', 1],
    ]);
    expect([...tally.perSource.values()]).toEqual([
      { sourceName: WATCH, device: null, count: 2 },
      { sourceName: PHONE, device: 'iPhone', count: 1 },
      { sourceName: PHONE, device: null, count: 1 },
    ]);
    // The range runs from the earliest start to the latest end (a day's total ends at the next midnight).
    expect([tally.first, tally.last]).toEqual(['2026-03-01T08:01:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect(tally.firstRows.get('steps')?.[0]).toEqual({
      seq: 3,
      row: {
        measure: 'steps',
        effectiveStart: '2026-03-02T00:00:00.000Z',
        effectiveEnd: '2026-03-03T00:00:00.000Z',
        value: 8000,
        diastolic: null,
        unit: '/d',
        beyondRange: null,
        sourceName: PHONE,
        device: null,
      },
    });
  });

  it('keeps the first five rows of each measure in file order', () => {
    const tally = tallied([9, 3, 7, 1, 8, 2, 6].map((i) => heartRate(i)));
    expect(shownValues(tally, 'heartRate')).toEqual([69, 63, 67, 61, 68]);
    expect(tally.firstRows.get('heartRate')!.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(tally.perMeasure.get('heartRate')).toBe(7);
  });

  it('forgets a row that repeats an earlier part: one fewer distinct, its sample and counts gone', () => {
    const later = [heartRate(1), heartRate(2, PHONE), stepsTotal(4, 100)];
    const tally = tallied(later, 0x8000_0000);
    tally.forget(rowOf(later[1]!, 0x8000_0002));
    tally.forget(rowOf(later[2]!, 0x8000_0003));
    expect(tally).toMatchObject({ read: 3, distinct: 1, singles: 1 });
    expect(shownValues(tally, 'heartRate')).toEqual([61]);
    expect(shownValues(tally, 'steps')).toEqual([]);
    expect(tally.perMeasure.get('heartRate')).toBe(1);
    expect(tally.perMeasure.get('steps')).toBe(0);
    expect(tally.perSource.get(`${PHONE}\u0000`)?.count).toBe(0);
    expect(tally.perSource.get(`${WATCH}\u0000`)?.count).toBe(1);
  });

  it('a forgotten row past the first five leaves the samples as they were', () => {
    const later = [1, 2, 3, 4, 5, 6].map((i) => heartRate(i));
    const tally = tallied(later, 100);
    tally.forget(rowOf(later[5]!, 106));
    expect(shownValues(tally, 'heartRate')).toEqual([61, 62, 63, 64, 65]);
    expect(tally.perMeasure.get('heartRate')).toBe(5);
  });

  it('merging a later part gives what one pass over both parts in file order gives', () => {
    const first = [heartRate(10), heartRate(11), heartRate(12, PHONE), stepsTotal(2, 500)];
    const later = [
      heartRate(3),
      heartRate(13),
      heartRate(14),
      heartRate(15),
      stepsTotal(5, 700),
      heartRate(11),
    ];
    const whole = tallied([...first, ...later.slice(0, 5)]);
    whole.read += 1;

    const joined = tallied(first);
    const part = tallied(later, 0x8000_0000);
    // The later part's last row repeats the first part's second.
    part.forget(rowOf(later[5]!, 0x8000_0006));
    joined.merge(part);

    expect(joined).toMatchObject({ read: 10, distinct: 9, singles: 7 });
    expect({ read: joined.read, distinct: joined.distinct, singles: joined.singles }).toEqual({
      read: whole.read,
      distinct: whole.distinct,
      singles: whole.singles,
    });
    // Samples: the first part's, then the later part's after them, five at most.
    expect(shownValues(joined, 'heartRate')).toEqual([70, 71, 72, 63, 73]);
    expect(shownValues(joined, 'heartRate')).toEqual(shownValues(whole, 'heartRate'));
    expect(shownValues(joined, 'steps')).toEqual([500, 700]);
    expect([...joined.perMeasure]).toEqual([...whole.perMeasure]);
    expect([...joined.perSource.values()]).toEqual([...whole.perSource.values()]);
    // The later part's earlier reading widens the range.
    expect([joined.first, joined.last]).toEqual([whole.first, whole.last]);
    expect(joined.first).toBe('2026-03-01T08:03:00.000Z');
    expect(joined.last).toBe('2026-03-06T00:00:00.000Z');
  });

  it('merging into an empty first part, or an empty later part, changes nothing else', () => {
    const later = tallied([heartRate(1), heartRate(2)], 0x8000_0000);
    const joined = new StageTally();
    joined.merge(later);
    expect(joined).toMatchObject({ read: 2, distinct: 2, first: later.first, last: later.last });
    expect(shownValues(joined, 'heartRate')).toEqual([61, 62]);

    const alone = tallied([heartRate(4)]);
    alone.merge(new StageTally());
    expect(alone).toMatchObject({ read: 1, distinct: 1, first: '2026-03-01T08:04:00.000Z' });
    expect([...alone.perMeasure]).toEqual([['heartRate', 1]]);
  });
});
