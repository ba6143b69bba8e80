/**
 * The audit trail's copy on the FHIR server: each audit record as a FHIR R4 AuditEvent (DICOM / IHE codes,
 * see main/audit/export.ts), carrying its seq, previous hash and hash, and the one at the trail's signed
 * head carrying the head's HMAC too. Someone able to rewrite the local database and re-sign its head can
 * make the local trail verify again, but not change what the server already holds: comparing the two
 * (compareAuditWithServer) shows a trail cut short or recomputed after it was sent.
 *
 * Only identifiers leave: local user, patient and record ids (as identifiers, never as references the
 * server would try to resolve), the action and outcome codes, the workstation name. No names, no values.
 */
import type { AuditServerComparison } from '../../shared/ipc/channels/audit';
import type { AuditEvent, AuditEventEntity, Bundle, Reference } from '@medplum/fhirtypes';
import { z } from 'zod';
import { buildTransactionBundle } from '../../shared/fhir/bundle';
import { bundleUrn } from '../../shared/fhir/identifiers';
import type { AuditStore } from '../audit/audit-store';
import type { AuditRecord } from '../audit/chain';
import { auditEventOf } from '../audit/export';
import type { AuditHead } from '../audit/head';
import type { Logger } from '../logging/logger';
import { classify, confirmsAll } from './answer';
import { FhirRequestError, type FhirClient } from './fhir-client';
import type { Outbox } from './outbox';
import { transactionSize } from './transaction-size';

/** What sync needs of the trail. */
export type AuditTrailSource = Pick<AuditStore, 'since' | 'head' | 'bySeq' | 'isSignedHead'>;

const LOCAL_ID_SYSTEM = 'urn:vitals-desk:local-id';
const CHAIN = 'hash chain';

/** The server id of one record's AuditEvent: from its seq and hash, so a rewritten record never overwrites it. */
export function auditEventIdFor(record: Pick<AuditRecord, 'seq' | 'hash'>): string {
  return bundleUrn('audit-event', `${record.seq}:${record.hash}`).slice('urn:uuid:'.length);
}

/**
 * One record as the AuditEvent the server keeps. `head`: the trail's signed head, added as
 * `headMac` to the hash-chain entity of the record it names.
 */
export function syncedAuditEvent(record: AuditRecord, head: AuditHead | undefined): AuditEvent {
  const event = auditEventOf(record);
  const entity = (event.entity ?? []).map((e): AuditEventEntity => {
    const reference = e.what?.reference;
    const match = reference ? /^([A-Za-z]+)\/(.+)$/.exec(reference) : null;
    if (e.description === CHAIN && head && head.seq === record.seq && head.hash === record.hash)
      return {
        ...e,
        detail: [
          ...(e.detail ?? []),
          { type: 'headAlg', valueString: 'HMAC-SHA256' },
          { type: 'headMac', valueString: head.mac },
        ],
      };
    // A local id is no server resource: named by identifier, so a server checking references accepts it.
    return match
      ? {
          ...e,
          what: {
            type: match[1] as NonNullable<Reference['type']>,
            identifier: { system: LOCAL_ID_SYSTEM, value: match[2] as string },
          },
        }
      : e;
  });
  return { ...event, id: auditEventIdFor(record), entity };
}

export const AUDIT_REFUSED_MESSAGE =
  'The FHIR server refused some audit records; they stay in this workstation’s audit trail. Ask IT to check the server.';

/** Sends the records not yet on the server, oldest first. false: the server could not take them now. */
export function createAuditSender(deps: {
  trail: () => AuditTrailSource | undefined;
  outbox: Outbox;
  client: FhirClient;
  logger: Logger;
  maxEntries: number;
}): { send(): Promise<{ ok: boolean; sent: number; failure?: FhirRequestError | Error }> } {
  const { outbox, client, logger } = deps;
  const size = transactionSize(outbox, `${client.baseUrl}#audit`, deps.maxEntries, logger);
  return {
    async send() {
      const trail = deps.trail();
      if (!trail) return { ok: true, sent: 0 };
      let sent = 0;
      for (;;) {
        const from = outbox.auditSentSeq();
        const records = trail.since(from, size.current());
        if (records.length === 0) return { ok: true, sent };
        const head = trail.head();
        const bundle: Bundle = buildTransactionBundle(
          records.map((record) => {
            const id = auditEventIdFor(record);
            return {
              resource: syncedAuditEvent(record, head),
              fullUrl: `urn:uuid:${id}`,
              mode: 'put-by-id' as const,
              id,
            };
          }),
        );
        const last = (records[records.length - 1] as AuditRecord).seq;
        try {
          const response = await client.transaction(bundle);
          if (!confirmsAll(response, bundle))
            throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', {
              retryable: true,
            });
          size.accepted(records.length);
          outbox.setAuditSentSeq(last);
          sent += records.length;
        } catch (error) {
          const verdict = classify(error, { usedIfMatch: false });
          if (verdict.kind === 'too-large' && records.length > 1) {
            size.refused(records.length);
            continue;
          }
          if (verdict.kind === 'retry')
            return { ok: false, sent, failure: error instanceof Error ? error : new Error('audit not sent') };
          // Refused for good: the records stay in the local trail; holding back every later one would
          // leave the server's copy further behind.
          logger.warn('sync.audit_refused', { status: verdict.status });
          outbox.setAuditSentSeq(last, AUDIT_REFUSED_MESSAGE);
        }
      }
    },
  };
}

const serverEventSchema = z.object({
  resourceType: z.literal('AuditEvent'),
  source: z.object({ site: z.string().optional() }).passthrough(),
  entity: z
    .array(
      z
        .object({
          description: z.string().optional(),
          detail: z
            .array(z.object({ type: z.string(), valueString: z.string().max(200).optional() }).passthrough())
            .max(20)
            .optional(),
        })
        .passthrough(),
    )
    .max(20)
    .optional(),
});

/** The comparison's answer, as the admin screen gets it (shared/ipc/channels/audit). */
export type ServerComparison = AuditServerComparison;

/** How many of the server's latest AuditEvents of this workstation are compared (one search page). */
export const AUDIT_COMPARE_WINDOW = 200;

/**
 * Compares the local trail with the server's copy of its latest records (one search, newest first):
 * every record the server holds must be held locally with the same hash, and a head the server holds
 * must carry this trail's signature. A cut or recomputed trail differs at least at the server's last
 * record, which is in the window.
 */
export async function compareAuditWithServer(deps: {
  trail: AuditTrailSource;
  client: FhirClient;
  workstation: string;
}): Promise<ServerComparison> {
  const pages = await deps.client.search(
    'AuditEvent',
    `site=${encodeURIComponent(deps.workstation)}&_sort=-date&_count=${AUDIT_COMPARE_WINDOW}`,
    1,
  );
  let serverSeq = 0;
  let compared = 0;
  const problems: Exclude<ServerComparison, { ok: true }>[] = [];
  for (const entry of pages.flatMap((p) => p.entry ?? [])) {
    const parsed = serverEventSchema.safeParse(entry.resource);
    if (!parsed.success || parsed.data.source.site !== deps.workstation) continue;
    const chain = parsed.data.entity?.find((e) => e.description === CHAIN);
    const detail = (type: string): string | undefined =>
      chain?.detail?.find((d) => d.type === type)?.valueString;
    const seq = Number(detail('seq'));
    const hash = detail('hash');
    if (!Number.isSafeInteger(seq) || seq < 1 || !hash || !/^[0-9a-f]{64}$/.test(hash)) continue;
    compared += 1;
    serverSeq = Math.max(serverSeq, seq);
    const local = deps.trail.bySeq(seq);
    if (!local) problems.push({ ok: false, problem: 'truncated', seq });
    else if (local.hash !== hash) problems.push({ ok: false, problem: 'rewritten', seq });
    const mac = detail('headMac');
    if (mac !== undefined && !deps.trail.isSignedHead({ seq, hash, mac }))
      problems.push({ ok: false, problem: 'head-forged', seq });
  }
  // The earliest difference: everything before it agrees with the server.
  problems.sort((a, b) => a.seq - b.seq);
  return problems[0] ?? { ok: true, serverSeq, compared };
}
