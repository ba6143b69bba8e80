import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/logging/logger';
import { transactionSize } from '../../../main/sync/transaction-size';

/** A server that takes at most `limit` entries, and what the worker remembers for it. */
function drive(limit: number, configured = 100, remembered?: number) {
  const store = new Map<string, number>(remembered ? [['s', remembered]] : []);
  const outbox = {
    transactionLimit: (server: string) => store.get(server),
    rememberTransactionLimit: (server: string, n: number) => void store.set(server, n),
  };
  const size = transactionSize(outbox, 's', configured, silentLogger);
  const tried: number[] = [];
  let refusals = 0;
  for (let i = 0; i < 30; i += 1) {
    const n = size.current();
    tried.push(n);
    if (n > limit) {
      refusals += 1;
      size.refused(n);
    } else size.accepted(n);
  }
  return { tried, refusals, settled: size.current(), remembered: store.get('s') };
}

describe('transaction size', () => {
  it('halves on each refusal, then finds the largest size the server takes', () => {
    const run = drive(8);
    expect(run.tried.slice(0, 5)).toEqual([100, 50, 25, 12, 6]);
    expect(run.settled).toBe(8);
    expect(run.remembered).toBe(8);
    expect(run.refusals).toBeLessThanOrEqual(6);
  });

  it('goes down to one entry for a server that takes only one', () => {
    const run = drive(1);
    expect(run.settled).toBe(1);
    expect(run.tried.slice(-10).every((n) => n === 1)).toBe(true);
  });

  it('never exceeds the policy maximum, and starts from what it remembered for the server', () => {
    expect(drive(500, 40).tried.every((n) => n === 40)).toBe(true);
    const again = drive(8, 100, 8);
    expect(again.tried[0]).toBe(8);
    expect(again.refusals).toBe(0);
  });
});
