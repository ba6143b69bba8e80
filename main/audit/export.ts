/**
 * Audit trail exports. CSV (RFC 4180) for spreadsheets; FHIR R4 AuditEvent resources in a Bundle
 * of type `collection` for a SIEM or the care network. Each record keeps its seq, prev_hash and hash,
 * so an exported trail can be verified again outside the app.
 */
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { AuditRecord } from './chain';
import type { AuditHead } from './head';

const CSV_COLUMNS: (keyof AuditRecord)[] = [
  'seq',
  'at',
  'actorUserId',
  'actorRole',
  'workstation',
  'action',
  'resourceType',
  'resourceId',
  'patientId',
  'outcome',
  'detail',
  'prevHash',
  'hash',
];

/** RFC 4180 §2: fields holding a comma, quote or line break are quoted, quotes doubled. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet (OWASP "CSV Injection"): prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(records: readonly AuditRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records) lines.push(CSV_COLUMNS.map((c) => csvField(record[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** FHIR R4 AuditEvent.action: C create, R read, U update, D delete, E execute. */
function fhirAction(action: string): AuditEvent['action'] {
  if (/\.(create|register|record|add)/.test(action)) return 'C';
  if (/\.(update|amend|sign|change)/.test(action)) return 'U';
  if (/\.(delete|remove|enteredInError)/.test(action)) return 'D';
  if (/\.(get|list|search|read|view|show)/.test(action)) return 'R';
  return 'E';
}

/** AuditEvent.outcome: 0 success, 4 minor failure (refused), 8 serious failure. */
function fhirOutcome(outcome: AuditRecord['outcome']): AuditEvent['outcome'] {
  return outcome === 'success' ? '0' : outcome === 'denied' ? '4' : '8';
}

export function auditEventOf(record: AuditRecord): AuditEvent {
  const isRest = record.resourceType !== null;
  const entity: NonNullable<AuditEvent['entity']> = [];
  if (record.patientId)
    entity.push({ what: { reference: `Patient/${record.patientId}` }, role: { code: '1' } });
  if (record.resourceType && record.resourceId && record.resourceType !== 'Patient')
    entity.push({ what: { reference: `${record.resourceType}/${record.resourceId}` } });
  entity.push({
    description: 'hash chain',
    detail: [
      { type: 'seq', valueString: String(record.seq) },
      { type: 'prevHash', valueString: record.prevHash },
      { type: 'hash', valueString: record.hash },
    ],
  });
  return {
    resourceType: 'AuditEvent',
    id: `vitals-desk-audit-${record.seq}`,
    type: isRest
      ? {
          system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
          code: 'rest',
          display: 'RESTful Operation',
        }
      : {
          system: 'http://dicom.nema.org/resources/ontology/DCM',
          code: '110114',
          display: 'User Authentication',
        },
    subtype: [{ system: 'urn:vitals-desk:audit-action', code: record.action }],
    action: fhirAction(record.action),
    recorded: record.at,
    outcome: fhirOutcome(record.outcome),
    ...(record.detail ? { outcomeDesc: record.detail } : {}),
    agent: [
      {
        requestor: true,
        ...(record.actorUserId
          ? { who: { identifier: { system: 'urn:vitals-desk:user', value: record.actorUserId } } }
          : { name: 'not signed in' }),
        ...(record.actorRole ? { role: [{ text: record.actorRole }] } : {}),
      },
    ],
    source: { site: record.workstation, observer: { display: 'Vitals Desk' } },
    entity,
  };
}

/** How the anchored head travels in Bundle.signature.data (base64 of this JSON). */
export const AUDIT_HEAD_FORMAT = 'application/vnd.vitals-desk.audit-head+json';

/**
 * The trail's signed head (last seq and hash of the whole trail when exported, with its HMAC) as a
 * Bundle.signature, so whoever keeps the export can later see a trail that ends earlier or
 * differently than it did then. Source Signature, ASTM E1762-95 (the FHIR signature-type codes).
 */
function headSignature(head: AuditHead, at: Date): NonNullable<Bundle['signature']> {
  const data = { alg: 'HMAC-SHA256', seq: head.seq, hash: head.hash, mac: head.mac };
  return {
    type: [
      { system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.14', display: 'Source Signature' },
    ],
    when: at.toISOString(),
    who: { display: 'Vitals Desk audit trail head' },
    sigFormat: AUDIT_HEAD_FORMAT,
    data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
  };
}

export function auditBundle(records: readonly AuditRecord[], at: Date, head?: AuditHead): Bundle<AuditEvent> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: at.toISOString(),
    entry: records.map((record) => ({ resource: auditEventOf(record) })),
    ...(head ? { signature: headSignature(head, at) } : {}),
  };
}
