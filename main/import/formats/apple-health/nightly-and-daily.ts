/**
 * Step counts summed per local day and sleep summed per night. The phone and the watch both record steps
 * (and often sleep) for the same minutes; adding them would double the count, so each source is summed
 * on its own and the day keeps the source with the most, as a close stand-in for the Health app's own
 * de-duplication. A day's series is its date alone, so a later, fuller export supersedes that day's total
 * (a new version) instead of adding a second one; the record's own identity also holds its figure, so
 * re-importing the same export adds nothing.
 */
import type { HomeRecord } from '../../../../shared/home-data/record';
import { contentId } from '../identity';
import { localMidnightIso } from './dates';

interface SourceTotal {
  amount: number;
  startMs: number;
  endMs: number;
  offset: string;
}

export class TotalsBySource {
  private readonly periods = new Map<string, Map<string, SourceTotal>>();

  add(period: string, source: string, amount: number, startMs: number, endMs: number, offset: string): void {
    let sources = this.periods.get(period);
    if (!sources) {
      sources = new Map();
      this.periods.set(period, sources);
    }
    const total = sources.get(source);
    if (total) {
      total.amount += amount;
      if (startMs < total.startMs) total.startMs = startMs;
      if (endMs > total.endMs) total.endMs = endMs;
    } else {
      sources.set(source, { amount, startMs, endMs, offset });
    }
  }

  /** Every period's totals per source, to hand to the thread that merges them (see merge). */
  entries(): [period: string, sources: [source: string, total: SourceTotal][]][] {
    return [...this.periods].map(([period, sources]) => [period, [...sources]]);
  }

  /**
   * Adds totals summed from a later part of the same file: amounts add up, times widen, and a source
   * already seen keeps its first offset, as if one reader had summed the whole file in order.
   */
  merge(later: ReturnType<TotalsBySource['entries']>): void {
    for (const [period, sources] of later) {
      for (const [source, t] of sources) this.add(period, source, t.amount, t.startMs, t.endMs, t.offset);
    }
  }

  /** Per period, the source with the largest total. */
  *largest(): Generator<{ period: string; source: string; total: SourceTotal }> {
    const periods = [...this.periods.keys()].sort();
    for (const period of periods) {
      let best: { source: string; total: SourceTotal } | undefined;
      for (const [source, total] of this.periods.get(period) ?? []) {
        if (!best || total.amount > best.total.amount) best = { source, total };
      }
      if (best) yield { period, ...best };
    }
  }
}

export function dailyStepRecords(steps: TotalsBySource): HomeRecord[] {
  return [...steps.largest()].map(({ period, source, total }) => {
    const series = `apple-health:steps:${period}`;
    const value = Math.round(total.amount);
    const sourceName = source.slice(0, 256);
    return {
      sourceRecordId: contentId(series, [value, sourceName]),
      series,
      measure: 'steps',
      effectiveStart: localMidnightIso(period, total.offset),
      effectiveEnd: localMidnightIso(period, total.offset, 1),
      value,
      sourceName,
    };
  });
}

export function nightlySleepRecords(sleep: TotalsBySource): HomeRecord[] {
  return [...sleep.largest()].map(({ period, source, total }) => {
    const series = `apple-health:sleep:${period}`;
    const effectiveStart = new Date(total.startMs).toISOString();
    const effectiveEnd = new Date(total.endMs).toISOString();
    const value = Math.round((total.amount / 3_600_000) * 100) / 100;
    const sourceName = source.slice(0, 256);
    return {
      sourceRecordId: contentId(series, [value, sourceName, effectiveStart, effectiveEnd]),
      series,
      measure: 'sleep',
      effectiveStart,
      effectiveEnd,
      value,
      sourceName,
    };
  });
}
