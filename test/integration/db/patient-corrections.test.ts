/**
 * Correcting a patient's details through core.invoke: the real contract, roles, an encrypted file, the
 * kept history, the concurrency check, the event and the audit trail.
 */
import { describe, expect, it } from 'vitest';
import type { Patient, PatientCorrectionRecord } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';

async function setUp() {
  const { core } = await createTestCore();
  const nurse = await signInAs(core, 'nurse');
  const patient = await call<Patient>(core, nurse.senderId, 'patients.register', {
    mrn: 'C-200',
    family: 'Lindqvist',
    given: 'Marta',
    birthDate: '1949-11-02',
    sex: 'female',
    phone: '555-0142',
  });
  return { core, nurse, patient };
}

describe('correcting a patient’s details', () => {
  it('changes the record, keeps the replaced values with who and why, and announces it', async () => {
    const { core, nurse, patient } = await setUp();
    const heard: Patient[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'patients.corrected') heard.push((payload as { patient: Patient }).patient);
    });
    const corrected = await call<Patient>(core, nurse.senderId, 'patients.correct', {
      patientId: patient.id,
      expectedUpdatedAt: patient.updatedAt,
      changes: { family: 'Lindquist', birthDate: '1949-11-20', given: 'Marta', phone: '' },
      reason: 'Spelling and birth date checked against ID card',
    });
    expect(corrected).toMatchObject({
      id: patient.id,
      mrn: 'C-200',
      family: 'Lindquist',
      given: 'Marta',
      birthDate: '1949-11-20',
      phone: null,
      createdAt: patient.createdAt,
    });
    expect(corrected.updatedAt > patient.updatedAt).toBe(true);
    expect(heard).toEqual([corrected]);
    expect(await call<Patient>(core, nurse.senderId, 'patients.get', { patientId: patient.id })).toEqual(
      corrected,
    );
    // Search uses the new name; the old spelling no longer finds the patient.
    const { phone: _phone, email: _email, ...listed } = corrected;
    expect(await call<Patient[]>(core, nurse.senderId, 'patients.search', { query: 'lindquist' })).toEqual([
      listed,
    ]);
    expect(await call<Patient[]>(core, nurse.senderId, 'patients.search', { query: 'lindqvist' })).toEqual(
      [],
    );

    const history = await call<PatientCorrectionRecord[]>(core, nurse.senderId, 'patients.corrections', {
      patientId: patient.id,
    });
    expect(history).toEqual([
      {
        id: expect.any(String),
        correctedAt: corrected.updatedAt,
        correctedBy: { id: nurse.userId, displayName: expect.any(String) },
        reason: 'Spelling and birth date checked against ID card',
        // Only what changed: the given name was sent unchanged.
        previous: { family: 'Lindqvist', birthDate: '1949-11-02', phone: '555-0142' },
      },
    ]);

    const admin = await signInAs(core, 'admin');
    const audit = await call<{
      records: { action: string; patientId: string | null; outcome: string; detail: string | null }[];
    }>(core, admin.senderId, 'audit.list', { filter: { action: 'patients.correct' } });
    expect(audit.records).toEqual([
      expect.objectContaining({
        action: 'patients.correct',
        patientId: patient.id,
        outcome: 'success',
        // Which fields, never what they held.
        detail: 'keys:birthDate,family,given,phone',
      }),
    ]);
  });

  it('refuses to overwrite a correction someone else made meanwhile', async () => {
    const { core, nurse, patient } = await setUp();
    const clinician = await signInAs(core, 'clinician');
    await call<Patient>(core, clinician.senderId, 'patients.correct', {
      patientId: patient.id,
      expectedUpdatedAt: patient.updatedAt,
      changes: { given: 'Martha' },
      reason: 'Patient says Martha',
    });
    const stale = await core.invoke(
      'patients.correct',
      {
        patientId: patient.id,
        expectedUpdatedAt: patient.updatedAt,
        changes: { given: 'Marte' },
        reason: 'Typo at registration',
      },
      { senderId: nurse.senderId },
    );
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await call<Patient>(core, nurse.senderId, 'patients.get', { patientId: patient.id })).given).toBe(
      'Martha',
    );
  });

  it('refuses bad values, an MRN change, no change, no reason, and staff without the role', async () => {
    const { core, nurse, patient } = await setUp();
    const attempt = (request: unknown, senderId = nurse.senderId) =>
      core.invoke('patients.correct', request, { senderId });
    const base = { patientId: patient.id, expectedUpdatedAt: patient.updatedAt, reason: 'Entered wrongly' };

    expect(await attempt({ ...base, changes: { birthDate: '1949-02-30' } })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        issues: [{ path: 'changes.birthDate', message: 'This date does not exist.' }],
      },
    });
    expect(await attempt({ ...base, changes: { mrn: 'C-201' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await attempt({ ...base, changes: { family: 'Lindqvist' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Nothing was changed: the details are as they were.' },
    });
    expect(await attempt({ ...base, reason: '', changes: { family: 'Lindquist' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', issues: [{ path: 'reason' }] },
    });
    const admin = await signInAs(core, 'admin');
    expect(await attempt({ ...base, changes: { family: 'Lindquist' } }, admin.senderId)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Nothing above changed the record or its history.
    expect(await call<Patient>(core, nurse.senderId, 'patients.get', { patientId: patient.id })).toEqual(
      patient,
    );
    expect(
      await call<PatientCorrectionRecord[]>(core, nurse.senderId, 'patients.corrections', {
        patientId: patient.id,
      }),
    ).toEqual([]);
  });
});
