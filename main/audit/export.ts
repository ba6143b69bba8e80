/**
 * Audit trail exports. CSV (RFC 4180) for spreadsheets; FHIR R4 AuditEvent resources in a Bundle
 * of type `collection` for a SIEM or the care network. Each record keeps its seq, prev_hash and hash,
 * so an exported trail can be verified again outside the app.
 */
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { channels, type AuditDeclaration, type ChannelDefinition } from '../../shared/ipc';
import { bundleUrn } from '../../shared/fhir/identifiers';
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

/**
 * Audit actions that are not channel calls but are recorded by a service (a failed second step, an idle
 * lock, a password change inside another call): declared here as the channels declare theirs.
 */
const SERVICE_AUDIT: Readonly<Record<string, AuditDeclaration>> = {
  'auth.recoveryCodeUsed': { action: 'E', event: 'user-authentication' },
};

/** Anything else (a future action not yet declared) says only that the application did something. */
const UNDECLARED: AuditDeclaration = { action: 'E', event: 'application-activity' };

/** The declaration of an audit action: the channel's own (shared/ipc), else the service table above. */
export function auditDeclarationOf(action: string): AuditDeclaration {
  const declared = (channels as Readonly<Record<string, ChannelDefinition | undefined>>)[action]?.audit;
  return declared ?? SERVICE_AUDIT[action] ?? UNDECLARED;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** AuditEvent.type per declared event (FHIR R4 valueset-audit-event-type: DICOM DCM codes and "rest"). */
const EVENT_TYPES: Readonly<Record<AuditDeclaration['event'], NonNullable<AuditEvent['type']>>> = {
  rest: {
    system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
    code: 'rest',
    display: 'RESTful Operation',
  },
  'user-authentication': { system: DCM, code: '110114', display: 'User Authentication' },
  export: { system: DCM, code: '110106', display: 'Export' },
  'security-attributes': { system: DCM, code: '110137', display: 'User Security Attributes Changed' },
  'application-activity': { system: DCM, code: '110100', display: 'Application Activity' },
  'audit-log-used': { system: DCM, code: '110101', display: 'Audit Log Used' },
};

/** Sign-in and sign-out are DCM 110122 Login / 110123 Logout within 110114 (DICOM PS3.15 A.5.3.11). */
const AUTH_SUBTYPES: Readonly<Record<string, { code: string; display: string }>> = {
  'auth.signIn': { code: '110122', display: 'Login' },
  'auth.signOut': { code: '110123', display: 'Logout' },
};

const OBJECT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

/** AuditEvent.outcome: 0 success, 4 minor failure (refused), 8 serious failure. */
function fhirOutcome(outcome: AuditRecord['outcome']): AuditEvent['outcome'] {
  return outcome === 'success' ? '0' : outcome === 'denied' ? '4' : '8';
}

export function auditEventOf(record: AuditRecord): AuditEvent {
  const declared = auditDeclarationOf(record.action);
  const authSubtype = AUTH_SUBTYPES[record.action];
  const entity: NonNullable<AuditEvent['entity']> = [];
  if (record.patientId)
    entity.push({
      what: { reference: `Patient/${record.patientId}` },
      type: { system: OBJECT_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  if (record.resourceType && record.resourceId && record.resourceType !== 'Patient')
    entity.push({
      what: { reference: `${record.resourceType}/${record.resourceId}` },
      type: { system: 'http://hl7.org/fhir/resource-types', code: record.resourceType },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
    });
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
    type: EVENT_TYPES[declared.event],
    subtype: [
      ...(authSubtype ? [{ system: DCM, ...authSubtype }] : []),
      { system: 'urn:vitals-desk:audit-action', code: record.action },
    ],
    action: declared.action,
    recorded: record.at,
    outcome: fhirOutcome(record.outcome),
    ...(record.detail ? { outcomeDesc: record.detail } : {}),
    agent: [
      {
        requestor: true,
        ...(record.actorUserId
          ? { who: { identifier: { system: 'urn:vitals-desk:user', value: record.actorUserId } } }
          : { name: 'not signed in' }),
        ...(record.actorRole
          ? {
              role: [
                {
                  coding: [{ system: 'urn:vitals-desk:staff-role', code: record.actorRole }],
                  text: record.actorRole,
                },
              ],
            }
          : {}),
      },
    ],
    source: {
      site: record.workstation,
      observer: { display: 'Vitals Desk' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
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
    // fullUrl (bundle.html bdl-7): a stable urn per record, so the same record always has the same one.
    entry: records.map((record) => ({
      fullUrl: bundleUrn('audit-event', `${record.seq}:${record.hash}`),
      resource: auditEventOf(record),
    })),
    ...(head ? { signature: headSignature(head, at) } : {}),
  };
}
