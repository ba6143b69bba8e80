/**
 * Writes audit records on behalf of the services: fills in the time and the workstation, and never
 * lets a failure to audit crash the caller (it is logged by event name; the record's content is not).
 */
import type { Role } from '../../shared/ipc/contract';
import type { AuditOutcome } from '../../shared/ipc/channels/audit';
import type { Logger } from '../logging/logger';
import type { Clock } from '../platform/clock';
import type { AuditStore } from './audit-store';
import type { AuditEntry, AuditRecord } from './chain';

export interface AuditActor {
  userId: string | null;
  role: Role | null;
}

export interface AuditEvent {
  actor: AuditActor;
  /** A stable action name: a channel name (`patients.get`) or an auth event (`auth.signIn`). */
  action: string;
  outcome: AuditOutcome;
  resourceType?: string | null;
  resourceId?: string | null;
  patientId?: string | null;
  /** A code, never free text from a user: `wrong-password`, `idle`, `FORBIDDEN`. */
  detail?: string | null;
}

export interface AuditRecorder {
  record(event: AuditEvent): AuditRecord | undefined;
  /** All the events in one transaction; undefined (and nothing written) when they could not be. */
  recordAll(events: readonly AuditEvent[]): AuditRecord[] | undefined;
  /**
   * The event written to another trail than the app's: the audit store of a database copy about to be
   * put in force (a key rotation's re-encrypted file). Undefined when it could not be written.
   */
  recordInto(store: AuditStore, event: AuditEvent): AuditRecord | undefined;
}

export const NO_ACTOR: AuditActor = { userId: null, role: null };

export function createAuditRecorder(deps: {
  store: () => AuditStore | undefined;
  clock: Clock;
  workstation: () => string;
  logger: Logger;
}): AuditRecorder {
  const entryOf = (event: AuditEvent): AuditEntry => ({
    at: deps.clock.now().toISOString(),
    actorUserId: event.actor.userId,
    actorRole: event.actor.role,
    workstation: deps.workstation(),
    action: event.action,
    resourceType: event.resourceType ?? null,
    resourceId: event.resourceId ?? null,
    patientId: event.patientId ?? null,
    outcome: event.outcome,
    detail: event.detail ?? null,
  });
  const write = <T>(
    action: string,
    run: (store: AuditStore) => T,
    store: AuditStore | undefined = deps.store(),
  ): T | undefined => {
    if (!store) {
      deps.logger.error('audit.unavailable', { action });
      return undefined;
    }
    try {
      return run(store);
    } catch (error) {
      deps.logger.error('audit.append_failed', {
        action,
        error: error instanceof Error ? error.name : typeof error,
      });
      return undefined;
    }
  };
  return {
    record: (event) => write(event.action, (store) => store.append(entryOf(event))),
    recordAll: (events) =>
      write(events[0]?.action ?? 'none', (store) => store.appendAll(events.map(entryOf))),
    recordInto: (store, event) => write(event.action, (s) => s.append(entryOf(event)), store),
  };
}
