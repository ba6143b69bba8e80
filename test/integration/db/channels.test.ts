/**
 * The patient-data channels end to end through core.invoke: contract validation, roles (real sign-in),
 * the repositories on a real encrypted file, and the observations.recorded event.
 */
import { describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../../../main/db/keys';
import type { DbKeyProvider } from '../../../main/db/keys';
import type { Encounter, Observation, Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from './helpers';

const startCore = (dataDir = tempDir(), dbKeyProvider: DbKeyProvider = memoryKeyProvider()) =>
  createTestCore({ dataDir, dbKeyProvider });

describe('patient data channels', () => {
  it('registers, visits, records, corrects and reads back, announcing each new version', async () => {
    const { core } = await startCore();
    const nurse = await signInAs(core, 'nurse');
    const heard: { patientId: string; observation: Observation }[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'observations.recorded')
        heard.push(payload as { patientId: string; observation: Observation });
    });
    const s = nurse.senderId;
    const patient = await call<Patient>(core, s, 'patients.register', {
      mrn: 'A-100',
      family: 'Lindqvist',
      given: 'Marta',
      birthDate: '1949-11-02',
      sex: 'female',
    });
    // Lists show the patient without contact details; opening the patient gives them.
    const { phone: _phone, email: _email, ...listed } = patient;
    expect(await call<Patient[]>(core, s, 'patients.search', { query: 'lindq' })).toEqual([listed]);
    expect((await call<Patient[]>(core, s, 'patients.recent', {})).map((p) => p.id)).toEqual([patient.id]);
    expect(await call<Patient>(core, s, 'patients.get', { patientId: patient.id })).toEqual(patient);

    const visit = await call<Encounter>(core, s, 'encounters.start', {
      patientId: patient.id,
      externalVisitId: 'v-1',
    });
    expect(visit.createdBy).toBe(nurse.userId);
    expect(await call<Encounter | null>(core, s, 'encounters.current', { patientId: patient.id })).toEqual(
      visit,
    );

    const now = new Date().toISOString();
    const spo2 = await call<Observation>(core, s, 'observations.record', {
      patientId: patient.id,
      encounterId: visit.id,
      kind: 'spo2',
      value: 95,
      components: [{ kind: 'inhaledOxygenFlow', value: 2 }],
      effectiveAt: now,
      method: 'manual',
    });
    expect(spo2).toMatchObject({
      code: '59408-5',
      recordedBy: nurse.userId,
      components: [{ code: '3151-8', value: 2 }],
    });
    const amended = await call<Observation>(core, s, 'observations.amend', {
      observationId: spo2.id,
      value: { value: 96, components: [{ kind: 'inhaledOxygenFlow', value: 2 }] },
      reason: 'Misread the display',
    });
    expect(await call<Observation[]>(core, s, 'observations.latest', { patientId: patient.id })).toEqual([
      amended,
    ]);
    expect(
      (
        await call<Observation[]>(core, s, 'observations.history', { patientId: patient.id, code: '59408-5' })
      ).map((o) => o.value),
    ).toEqual([96]);
    const withdrawn = await call<Observation>(core, s, 'observations.enterInError', {
      observationId: amended.id,
      reason: 'Wrong patient chart',
    });
    const versions = await call<Observation[]>(core, s, 'observations.versions', { seriesId: spo2.id });
    expect(versions.map((o) => o.status)).toEqual(['final', 'amended', 'entered-in-error']);
    expect(heard.map((e) => [e.patientId, e.observation.id])).toEqual([
      [patient.id, spo2.id],
      [patient.id, amended.id],
      [patient.id, withdrawn.id],
    ]);
    await call(core, s, 'encounters.finish', { encounterId: visit.id });
    expect(await call<Encounter | null>(core, s, 'encounters.current', { patientId: patient.id })).toBeNull();
    await core.close();
  });

  it('refuses an implausible value with VALIDATION and a bad payload with BAD_REQUEST, saving nothing', async () => {
    const { core } = await startCore();
    const nurse = await signInAs(core, 'nurse');
    const patient = await call<Patient>(core, nurse.senderId, 'patients.register', {
      mrn: 'B-1',
      family: 'Ng',
      given: 'Li',
      birthDate: '1980-01-01',
      sex: 'male',
    });
    const implausible = await core.invoke(
      'observations.record',
      {
        patientId: patient.id,
        kind: 'heartRate',
        value: 720,
        effectiveAt: new Date().toISOString(),
        method: 'manual',
      },
      { senderId: nurse.senderId },
    );
    expect(implausible).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!implausible.ok)
      expect(implausible.error.message + JSON.stringify(implausible.error.issues)).not.toContain('720');
    const malformed = await core.invoke(
      'observations.record',
      { patientId: 'x', kind: 'heartRate' },
      { senderId: nurse.senderId },
    );
    expect(malformed).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await call<Observation[]>(core, nurse.senderId, 'observations.latest', { patientId: patient.id }),
    ).toEqual([]);
    await core.close();
  });

  it('lets only an administrator rotate the key; the data opens with the rotated key after restart', async () => {
    const dataDir = tempDir();
    const provider = memoryKeyProvider();
    const first = await startCore(dataDir, provider);
    const nurse = await signInAs(first.core, 'nurse');
    const patient = await call<Patient>(first.core, nurse.senderId, 'patients.register', {
      mrn: 'C-1',
      family: 'Haddad',
      given: 'Rami',
      birthDate: '1970-05-05',
      sex: 'male',
    });
    expect(await first.core.invoke('database.rotateKey', {}, { senderId: nurse.senderId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const keyBefore = provider.current();
    const admin = await signInAs(first.core, 'admin');
    await call(first.core, admin.senderId, 'database.rotateKey', {});
    expect(provider.current()?.equals(keyBefore!)).toBe(false);
    await first.core.close();

    const second = await startCore(dataDir, provider);
    expect(second.core.health().services.find((s) => s.name === 'database')?.status).toBe('ok');
    // The first administrator already exists in this file, so read the row directly rather than sign in again.
    expect(second.core.db?.prepare('SELECT family FROM patients WHERE id = ?').pluck().get(patient.id)).toBe(
      'Haddad',
    );
    await second.core.close();
  });

  it('starts with the database in error when the key is wrong, says why in health, and refuses to sign in', async () => {
    const dataDir = tempDir();
    const first = await startCore(dataDir);
    await first.core.close();
    const { core } = await startCore(dataDir, memoryKeyProvider());
    const database = core.health().services.find((s) => s.name === 'database');
    expect(database).toMatchObject({ status: 'error' });
    expect(database?.detail).toMatch(/could not be unlocked/);
    expect(core.db).toBeUndefined();
    const signIn = await core.invoke(
      'auth.signIn',
      { username: 'anyone', password: 'whatever-long-enough' },
      { senderId: 'w' },
    );
    expect(signIn).toMatchObject({ ok: false, error: { code: 'DB_KEY_INVALID' } });
    await core.close();
  });
});
