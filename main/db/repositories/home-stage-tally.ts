/**
 * What an import's preview counts as rows are staged (a duplicate in the file counted once): per measure,
 * per source, the time range and the first rows of each measure, with no sort over the whole file later.
 * A file read in two parts keeps one tally per part; the later one is merged in once the parts are joined.
 */
import { HOME_MEASURE_UNITS, type HomeMeasure, type HomeRecord } from '../../../shared/home-data/record';
import type { HomeSampleRow } from '../../../shared/home-data/import-summary';

const MAX_SAMPLES = 5;
/** Sources counted apart at most: a file naming more is odd, and the preview lists 50. */
const MAX_SOURCES = 10_000;

export function sampleOf(r: HomeRecord): HomeSampleRow {
  return {
    measure: r.measure,
    effectiveStart: r.effectiveStart,
    effectiveEnd: r.effectiveEnd ?? null,
    value: r.value,
    diastolic: r.diastolic ?? null,
    unit: HOME_MEASURE_UNITS[r.measure],
    beyondRange: r.beyondRange ?? null,
    sourceName: r.sourceName ?? null,
    device: r.device ?? null,
  };
}

/** What forget() needs of a staged row. */
export interface TalliedRow {
  seq: number;
  measure: HomeMeasure;
  sourceName: string | null;
  device: string | null;
  series: string | null;
}

const sourceKey = (sourceName: string | null | undefined, device: string | null | undefined): string =>
  `${sourceName ?? ''}\u0000${device ?? ''}`;

export class StageTally {
  /** Records read, duplicates included. */
  read = 0;
  distinct = 0;
  /** Distinct records without a series (the day and night totals have one). */
  singles = 0;
  first: string | null = null;
  last: string | null = null;
  /** The first rows of each measure in file order, with their staging sequence. */
  readonly firstRows = new Map<HomeMeasure, { seq: number; row: HomeSampleRow }[]>();
  readonly perMeasure = new Map<HomeMeasure, number>();
  readonly perSource = new Map<string, { sourceName: string | null; device: string | null; count: number }>();

  /** A distinct record staged as row `seq`. */
  counted(r: HomeRecord, seq: number): void {
    this.distinct++;
    if (r.series === undefined) this.singles++;
    const shown = this.firstRows.get(r.measure);
    if (!shown) this.firstRows.set(r.measure, [{ seq, row: sampleOf(r) }]);
    else if (shown.length < MAX_SAMPLES) shown.push({ seq, row: sampleOf(r) });
    this.perMeasure.set(r.measure, (this.perMeasure.get(r.measure) ?? 0) + 1);
    this.countSource(r.sourceName ?? null, r.device ?? null, 1);
    const end = r.effectiveEnd ?? r.effectiveStart;
    if (this.first === null || r.effectiveStart < this.first) this.first = r.effectiveStart;
    if (this.last === null || end > this.last) this.last = end;
  }

  /**
   * A row counted here turned out to repeat one of an earlier part: it is counted as read, not as
   * distinct. Its times equal the earlier row's (they are part of its identity), so the range stands.
   */
  forget(row: TalliedRow): void {
    this.distinct--;
    if (row.series === null) this.singles--;
    const shown = this.firstRows.get(row.measure);
    const at = shown?.findIndex((s) => s.seq === row.seq) ?? -1;
    if (at !== -1) shown!.splice(at, 1);
    this.perMeasure.set(row.measure, (this.perMeasure.get(row.measure) ?? 1) - 1);
    const source = this.perSource.get(sourceKey(row.sourceName, row.device));
    if (source) source.count--;
  }

  /** Adds a later part's tally, as if its rows had been counted here after this part's. */
  merge(later: StageTally): void {
    this.read += later.read;
    this.distinct += later.distinct;
    this.singles += later.singles;
    for (const [measure, rows] of later.firstRows) {
      const shown = this.firstRows.get(measure) ?? [];
      shown.push(...rows.slice(0, MAX_SAMPLES - shown.length));
      this.firstRows.set(measure, shown);
    }
    for (const [measure, count] of later.perMeasure) {
      if (count > 0) this.perMeasure.set(measure, (this.perMeasure.get(measure) ?? 0) + count);
    }
    for (const { sourceName, device, count } of later.perSource.values()) {
      if (count > 0) this.countSource(sourceName, device, count);
    }
    if (later.first !== null && (this.first === null || later.first < this.first)) this.first = later.first;
    if (later.last !== null && (this.last === null || later.last > this.last)) this.last = later.last;
  }

  private countSource(sourceName: string | null, device: string | null, count: number): void {
    const key = sourceKey(sourceName, device);
    const source = this.perSource.get(key);
    if (source) source.count += count;
    else if (this.perSource.size < MAX_SOURCES) this.perSource.set(key, { sourceName, device, count });
  }
}
