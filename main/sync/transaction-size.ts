/** How many entries go in one transaction to this server, learnt from its refusals. */
import type { Logger } from '../logging/logger';
import type { Outbox } from './outbox';

/**
 * The most entries per transaction for this server: the policy's maximum at first, halved each time the
 * server refuses a transaction as too large (down to 1). After a halving, accepted transactions probe back
 * up between the largest accepted and the smallest refused size (a binary search), so a limit of 8 is
 * found rather than settling at 6. The size is remembered for the server across restarts.
 */
export function transactionSize(
  outbox: Pick<Outbox, 'transactionLimit' | 'rememberTransactionLimit'>,
  server: string,
  configured: number,
  logger: Logger,
): { current(): number; refused(sentEntries: number): void; accepted(sentEntries: number): void } {
  let current = Math.min(configured, outbox.transactionLimit(server) ?? configured);
  let largestAccepted = 0;
  let smallestRefused = Number.POSITIVE_INFINITY;
  const settle = (next: number): void => {
    if (next === current) return;
    current = next;
    outbox.rememberTransactionLimit(server, current);
    logger.info('sync.transaction_size', { entries: current });
  };
  return {
    current: () => current,
    refused(sentEntries) {
      smallestRefused = Math.min(smallestRefused, sentEntries);
      settle(
        Math.max(
          1,
          Math.floor(Math.min(current, sentEntries) / 2),
          Math.min(largestAccepted, sentEntries - 1),
        ),
      );
    },
    accepted(sentEntries) {
      largestAccepted = Math.max(largestAccepted, sentEntries);
      if (smallestRefused === Number.POSITIVE_INFINITY) return;
      const floor = Math.max(largestAccepted, current);
      settle(
        floor + 1 < smallestRefused
          ? Math.floor((floor + smallestRefused) / 2)
          : Math.min(floor, smallestRefused - 1),
      );
    },
  };
}
