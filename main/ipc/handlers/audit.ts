import type { auditChannels } from '../../../shared/ipc/channels/audit';
import type { AuditStore } from '../../audit/audit-store';
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
}): Pick<Handlers, keyof typeof auditChannels> {
  const { store, auth, audit, clock } = deps;
  return {
    'audit.list': ({ filter, beforeSeq, limit }) =>
      store().list({ filter, limit, ...(beforeSeq !== undefined ? { beforeSeq } : {}) }),
    'audit.export': ({ filter, format }, { senderId }) => {
      const records = store().all(filter);
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
