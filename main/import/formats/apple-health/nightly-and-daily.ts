/**
 * Step counts summed per local day and sleep summed per night. The phone and the watch both record steps
 * (and often sleep) for the same minutes; adding them would double the count, so each source is summed
 * on its own and the day keeps the source with the most, as a close stand-in for the Health app's own
 * de-duplication. A day's identity is its date alone, so a later export updates the same day.
 */
import type { HomeRecord } from '../../../../shared/home-data/record';
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
  return [...steps.largest()].map(({ period, source, total }) => ({
    sourceRecordId: `apple-health:steps:${period}`,
    measure: 'steps',
    effectiveStart: localMidnightIso(period, total.offset),
    effectiveEnd: localMidnightIso(period, total.offset, 1),
    value: Math.round(total.amount),
    sourceName: source.slice(0, 256),
  }));
}

export function nightlySleepRecords(sleep: TotalsBySource): HomeRecord[] {
  return [...sleep.largest()].map(({ period, source, total }) => ({
    sourceRecordId: `apple-health:sleep:${period}`,
    measure: 'sleep',
    effectiveStart: new Date(total.startMs).toISOString(),
    effectiveEnd: new Date(total.endMs).toISOString(),
    value: Math.round((total.amount / 3_600_000) * 100) / 100,
    sourceName: source.slice(0, 256),
  }));
}
