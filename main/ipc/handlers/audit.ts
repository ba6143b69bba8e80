import type { auditChannels } from '../../../shared/ipc/channels/audit';
import type { AuditFilter, AuditServerComparison } from '../../../shared/ipc/channels/audit';
import type { AuditStore, StoreFilter } from '../../audit/audit-store';
import { auditBundle, auditCsv } from '../../audit/export';
import type { AuditRecorder } from '../../audit/recorder';
import type { AuthService } from '../../auth/auth-service';
import type { Clock } from '../../platform/clock';
import type { Handlers } from '../dispatcher';

export function createAuditHandlers(deps: {
  store: () => AuditStore;
  auth: AuthService;
  audit: AuditRecorder;
  clock: Clock;
  /** The ids of the patients an MRN or a name names (the patient database's lookup). */
  patientIdsByMrnOrName?: (text: string) => string[];
  /** The trail against the FHIR server's copy (the sync service); refuses when sync is not set up. */
  compareWithServer: () => Promise<AuditServerComparison>;
}): Pick<Handlers, keyof typeof auditChannels> {
  const { store, auth, audit, clock } = deps;
  /**
   * A patient given by MRN or name becomes the ids it names. The search is recorded by who made it and
   * how many patients it named; neither the words nor a name reach the trail.
   */
  const resolve = (filter: AuditFilter, senderId: string): { filter: StoreFilter; matched?: number } => {
    const { patient, ...rest } = filter;
    if (patient === undefined) return { filter: rest };
    const patientIds = deps.patientIdsByMrnOrName?.(patient) ?? [];
    audit.record({
      actor: auth.actorOf(senderId),
      action: 'audit.byPatient',
      outcome: 'success',
      detail: `patients:${patientIds.length}`,
    });
    return { filter: { ...rest, patientIds }, matched: patientIds.length };
  };
  return {
    'audit.list': ({ filter, beforeSeq, limit }, { senderId }) => {
      const resolved = resolve(filter, senderId);
      const page = store().list({
        filter: resolved.filter,
        limit,
        ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      });
      return resolved.matched === undefined ? page : { ...page, patientsMatched: resolved.matched };
    },
    'audit.export': ({ filter, format }, { senderId }) => {
      const records = store().all(resolve(filter, senderId).filter);
      // The signed head as it stands before the export is itself recorded.
      const head = store().head();
      const stamp = clock.now().toISOString().replace(/[:.]/g, '-');
      // Exporting the trail is itself an audited action.
      audit.record({
        actor: auth.actorOf(senderId),
        action: 'audit.export',
        outcome: 'success',
        detail: `${format}:${records.length}`,
      });
      return format === 'csv'
        ? {
            fileName: `audit-${stamp}.csv`,
            mimeType: 'text/csv',
            content: auditCsv(records),
            count: records.length,
          }
        : {
            fileName: `audit-${stamp}.json`,
            mimeType: 'application/fhir+json',
            content: JSON.stringify(auditBundle(records, clock.now(), head), null, 2),
            count: records.length,
          };
    },
    'audit.compareWithServer': async (_request, { senderId }) => {
      const comparison = await deps.compareWithServer();
      audit.record({
        actor: auth.actorOf(senderId),
        action: 'audit.compareWithServer',
        outcome: comparison.ok ? 'success' : 'failure',
        detail: comparison.ok ? `matches:${comparison.compared}` : `${comparison.problem}:${comparison.seq}`,
      });
      return comparison;
    },
    'audit.verify': (_request, { senderId }) => {
      const verdict = store().verify();
      audit.record({
        actor: auth.actorOf(senderId),
        action: 'audit.verify',
        outcome: verdict.ok ? 'success' : 'failure',
        detail: verdict.ok ? `intact:${verdict.count}` : `${verdict.problem}:${verdict.firstBadSeq}`,
      });
      return verdict;
    },
  };
}
