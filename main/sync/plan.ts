/**
 * What to send next: the longest run of pending entries whose transaction fits the server's size, with
 * entries whose records cannot be mapped set aside here, before they could block a batch.
 */
import { FhirMappingError } from '../../shared/fhir/errors';
import {
  buildSyncBundle,
  countEncounterEntries,
  countSyncEntries,
  type EncounterSyncUnit,
  type KnownReferences,
  type SyncBundle,
} from '../../shared/fhir/sync-bundle';
import type { PatientMappingOptions } from '../../shared/fhir/patient';
import type { Logger } from '../logging/logger';
import type { Outbox, PendingEntry } from './outbox';

export interface PreparedBatch {
  readonly bundle: SyncBundle;
  readonly entries: readonly PendingEntry[];
}

export interface Planner {
  /** The next bundle from the head of `queue` and how many queue entries it consumed (at least one). */
  next(
    queue: readonly PendingEntry[],
    maxEntries: number,
    known?: KnownReferences,
  ): { prepared: PreparedBatch | undefined; used: number };
  /** Entries the mapping refused during this worker's life (so a shrinking batch does not count one twice). */
  readonly rejectedCount: () => number;
}

export function createPlanner(deps: {
  outbox: Outbox;
  logger: Logger;
  systems: PatientMappingOptions;
}): Planner {
  const { outbox, logger } = deps;
  const options = deps.systems;
  const rejectedIds = new Set<string>();

  const mappable = (entries: readonly PendingEntry[], known?: KnownReferences): PreparedBatch | undefined => {
    try {
      return {
        bundle: buildSyncBundle(
          entries.map((e) => e.unit),
          options,
          known,
        ),
        entries: [...entries],
      };
    } catch {
      // Some entry cannot be mapped: find which below.
    }
    const good: PendingEntry[] = [];
    for (const entry of entries) {
      try {
        buildSyncBundle([entry.unit], options);
        good.push(entry);
      } catch (error) {
        const message =
          error instanceof FhirMappingError
            ? error.message
            : 'This measurement could not be prepared for sending.';
        if (rejectedIds.has(entry.observationId)) continue;
        rejectedIds.add(entry.observationId);
        outbox.markRejected(entry.observationId, message);
        logger.warn('sync.entry_rejected', { reason: 'mapping' });
      }
    }
    return good.length > 0
      ? {
          bundle: buildSyncBundle(
            good.map((e) => e.unit),
            options,
            known,
          ),
          entries: good,
        }
      : undefined;
  };

  return {
    next(queue, maxEntries, known) {
      let take = 1;
      while (
        take < queue.length &&
        countSyncEntries(
          queue.slice(0, take + 1).map((e) => e.unit),
          known,
        ) <= maxEntries
      )
        take += 1;
      return { prepared: mappable(queue.slice(0, take), known), used: take };
    },
    rejectedCount: () => rejectedIds.size,
  };
}

/** How many of the ended visits at the head of `queue` fit one transaction (at least one). */
export function encountersThatFit(queue: readonly EncounterSyncUnit[], maxEntries: number): number {
  let take = 1;
  while (take < queue.length && countEncounterEntries(queue.slice(0, take + 1)) <= maxEntries) take += 1;
  return take;
}
