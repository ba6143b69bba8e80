/**
 * The administrator filters the audit trail by a patient's MRN or name, as people know patients; main
 * turns it into the patient's id. The trail gains a record that such a search was made and how many
 * patients it named, and never the MRN or name typed. Through the real core and encrypted database.
 */
import { describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../../../main/db/keys';
import type { AuditRecordView } from '../../../shared/ipc/channels/audit';
import type { Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { firstAdmin, signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';

type Page = { records: AuditRecordView[]; hasMore: boolean; patientsMatched?: number };

describe('the audit trail by patient', () => {
  it('finds a patient by exact MRN or part of the name, and keeps neither in the trail', async () => {
    const { core } = await createTestCore({ dataDir: tempDir(), dbKeyProvider: memoryKeyProvider() });
    const nurse = await signInAs(core, 'nurse');
    const register = (mrn: string, family: string, given: string) =>
      call<Patient>(core, nurse.senderId, 'patients.register', {
        mrn,
        family,
        given,
        birthDate: '1958-04-17',
        sex: 'female',
      });
    const adaeze = await register('AB-1001', 'Okonkwo-Søreide', 'Adaeze');
    const prefix = await register('AB-10012', 'Lindqvist', 'Marta');
    for (const p of [adaeze, prefix, adaeze])
      await call(core, nurse.senderId, 'patients.get', { patientId: p.id });

    const admin = await firstAdmin(core);
    const list = (filter: Record<string, string>) =>
      call<Page>(core, admin.senderId, 'audit.list', { filter, limit: 500 });

    // Exact MRN, in any case: only that patient, not the one whose MRN merely starts with it.
    const byMrn = await list({ patient: 'ab-1001' });
    expect(byMrn.patientsMatched).toBe(1);
    expect(byMrn.records.length).toBeGreaterThanOrEqual(3);
    expect(new Set(byMrn.records.map((r) => r.patientId))).toEqual(new Set([adaeze.id]));
    // Part of the name, without the accent: the same patient.
    const byName = await list({ patient: 'soreide', action: 'patients.get' });
    expect(byName.records.map((r) => r.patientId)).toEqual([adaeze.id, adaeze.id]);
    // With another filter too, and a name that is nobody's.
    const nobody = await list({ patient: 'Nobody Here' });
    expect(nobody).toMatchObject({ records: [], patientsMatched: 0 });
    // A wildcard is a character, not "everyone".
    expect((await list({ patient: '%' })).patientsMatched).toBe(0);
    // Without a patient filter, nothing is looked up.
    expect((await list({})).patientsMatched).toBeUndefined();

    const exported = await call<{ content: string; count: number }>(core, admin.senderId, 'audit.export', {
      filter: { patient: 'AB-1001' },
      format: 'csv',
    });
    expect(exported.count).toBe(byMrn.records.length);

    const trail = await list({});
    const searches = trail.records.filter((r) => r.action === 'audit.byPatient');
    expect(searches.map((r) => r.detail)).toEqual([
      'patients:1',
      'patients:0',
      'patients:0',
      'patients:1',
      'patients:1',
    ]);
    expect(searches.every((r) => r.actorUserId === admin.userId && r.patientId === null)).toBe(true);
    const text = JSON.stringify(trail.records);
    for (const typed of ['ab-1001', 'AB-1001', 'soreide', 'Søreide', 'Nobody', 'Lindqvist'])
      expect(text).not.toContain(typed);
    await core.close();
  });
});
