/**
 * A change whose audit record cannot be written does not stay: device pairings, the database key and
 * staff accounts (creation, passwords, two-step sign-in), through the real core and its encrypted database. The fault is real: a trigger makes the audit table
 * refuse every insert (a trigger in the file, so the key rotation's re-encrypted copy refuses too).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';
import { memoryKeyProvider } from '../../../main/db/keys';
import { manualClock, type Clock } from '../../../main/platform/clock';
import { DATABASE_FILE } from '../../../main/db/patient-database';
import { ROTATING_SUFFIX } from '../../../main/db/rotate-key';
import type { Patient } from '../../../shared/records';
import { currentTotp } from '../../../main/auth/totp';
import { call, createTestCore } from '../../support/core';
import { firstAdmin, signInAs, TEMPORARY_PASSWORD } from '../../support/session';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

interface Device {
  id: string;
  name: string;
}
interface Trail {
  records: { action: string; outcome: string; detail: string | null }[];
}

async function desk(clock?: Clock) {
  const keys = memoryKeyProvider();
  const { core, dataDir } = await createTestCore({ dbKeyProvider: keys, ...(clock ? { clock } : {}) });
  cores.push(core);
  const admin = await firstAdmin(core);
  const refuseAudit = () =>
    core.db!.exec(`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit refused (test)'); END`);
  const allowAudit = () => core.db!.exec('DROP TRIGGER audit_refused');
  const devices = async () =>
    (await call<{ devices: Device[] }>(core, admin.senderId, 'devices.list', {})).devices.map((d) => ({
      id: d.id,
      name: d.name,
    }));
  const trail = async (action: string) =>
    (await call<Trail>(core, admin.senderId, 'audit.list', { filter: { action } })).records;
  return { core, dataDir, keys, admin, refuseAudit, allowAudit, devices, trail };
}

const notSaved = { ok: false, error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE } };

describe('a change whose audit record cannot be written is not kept', () => {
  it('pairing and unpairing a device: refused and undone while the trail refuses, done once it writes', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const pair = (name: string, address: string) =>
      d.core.invoke(
        'devices.pair',
        { name, transport: 'serial', driver: 'serial.and-scale', address },
        { senderId: nurse.senderId },
      );
    const unpair = (id: string) => d.core.invoke('devices.unpair', { id }, { senderId: nurse.senderId });

    d.refuseAudit();
    expect(await pair('Desk scale', '/dev/ttyUSB1')).toMatchObject(notSaved);
    // Not paired, and nothing left to conflict with a second try.
    expect(await d.devices()).toEqual([]);
    d.allowAudit();
    const paired = await pair('Desk scale', '/dev/ttyUSB1');
    expect(paired.ok).toBe(true);
    const before = await d.devices();
    expect(before).toEqual([{ id: expect.any(String), name: 'Desk scale' }]);

    d.refuseAudit();
    expect(await unpair(before[0]!.id)).toMatchObject(notSaved);
    // Still paired, under the same id and name.
    expect(await d.devices()).toEqual(before);
    d.allowAudit();
    expect(await unpair(before[0]!.id)).toMatchObject({ ok: true });
    expect(await d.devices()).toEqual([]);

    // The trail holds the pairing and the unpairing that stayed, and nothing of the undone ones.
    expect((await d.trail('devices.pair')).map((r) => r.outcome)).toEqual(['success']);
    expect((await d.trail('devices.unpair')).map((r) => r.outcome)).toEqual(['success']);
    expect(await call(d.core, d.admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a recording, correction or withdrawal refused for its record is never announced to the screens', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const patient = await call<Patient>(d.core, nurse.senderId, 'patients.register', {
      mrn: 'A-1',
      family: 'Announce',
      given: 'Ida',
      birthDate: '1980-03-03',
      sex: 'female',
    });
    const announced: number[] = [];
    d.core.events.subscribe((name, payload) => {
      if (name === 'observations.recorded')
        announced.push((payload as { observation: { value: number } }).observation.value);
    });
    const heartRate = (value: number) =>
      d.core.invoke(
        'observations.record',
        {
          patientId: patient.id,
          kind: 'heartRate',
          value,
          effectiveAt: d.core.clock.now().toISOString(),
          method: 'manual',
        },
        { senderId: nurse.senderId },
      );
    const kept = await heartRate(72);
    expect(announced).toEqual([72]);
    const id = kept.ok ? (kept.value as { id: string }).id : '';

    d.refuseAudit();
    expect(await heartRate(88)).toMatchObject(notSaved);
    expect(
      await d.core.invoke(
        'observations.amend',
        { observationId: id, value: { value: 74 }, reason: 'Recounted' },
        { senderId: nurse.senderId },
      ),
    ).toMatchObject(notSaved);
    expect(
      await d.core.invoke(
        'observations.enterInError',
        { observationId: id, reason: 'Wrong patient' },
        { senderId: nurse.senderId },
      ),
    ).toMatchObject(notSaved);
    // No screen was told of a value that was rolled back.
    expect(announced).toEqual([72]);
    d.allowAudit();
    expect((await heartRate(88)).ok).toBe(true);
    expect(announced).toEqual([72, 88]);
  });

  it('patient and visit changes refused for their record announce nothing to any window', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const register = (mrn: string, family: string) =>
      d.core.invoke(
        'patients.register',
        { mrn, family, given: 'Ola', birthDate: '1955-07-07', sex: 'male' },
        { senderId: nurse.senderId },
      );
    const first = (await register('V-1', 'Visby')) as { ok: true; value: Patient };
    const second = (await register('V-2', 'Varberg')) as { ok: true; value: Patient };
    const visit = await call<{ id: string }>(d.core, nurse.senderId, 'encounters.start', {
      patientId: first.value.id,
    });
    const correct = () =>
      d.core.invoke(
        'patients.correct',
        {
          patientId: first.value.id,
          expectedUpdatedAt: first.value.updatedAt,
          changes: { family: 'Wisby' },
          reason: 'Spelling checked against ID card',
        },
        { senderId: nurse.senderId },
      );
    // Every event any window (or the sync worker, on the same bus) would hear.
    const heard: { name: string; family?: string }[] = [];
    d.core.events.subscribe((name, payload) =>
      heard.push(
        name === 'patients.corrected'
          ? { name, family: (payload as { patient: Patient }).patient.family }
          : { name },
      ),
    );

    d.refuseAudit();
    expect(await register('V-3', 'Vaxholm')).toMatchObject(notSaved);
    expect(await correct()).toMatchObject(notSaved);
    const onVisit = { senderId: nurse.senderId };
    expect(await d.core.invoke('encounters.start', { patientId: second.value.id }, onVisit)).toMatchObject(
      notSaved,
    );
    expect(
      await d.core.invoke(
        'encounters.setVideoLink',
        { encounterId: visit.id, joinUrl: 'https://meet.example.org/v-1' },
        onVisit,
      ),
    ).toMatchObject(notSaved);
    expect(await d.core.invoke('encounters.finish', { encounterId: visit.id }, onVisit)).toMatchObject(
      notSaved,
    );
    // Nothing was announced, and nothing changed in the file.
    expect(heard).toEqual([]);
    const families = () =>
      d.core.db!.prepare('SELECT family FROM patients ORDER BY mrn').pluck().all() as string[];
    expect(families()).toEqual(['Visby', 'Varberg']);
    expect(d.core.db!.prepare('SELECT status FROM encounters ORDER BY start').pluck().all()).toEqual([
      'in-progress',
    ]);

    // Once the trail writes, the same correction is saved and announced once, with the new name.
    d.allowAudit();
    expect(await correct()).toMatchObject({ ok: true, value: { family: 'Wisby' } });
    expect(heard).toEqual([{ name: 'patients.corrected', family: 'Wisby' }]);
  });

  it('a settings change: put back as it was while the trail refuses, kept with its record once it writes', async () => {
    const d = await desk();
    const update = (changes: Record<string, unknown>) =>
      d.core.invoke('settings.update', changes, { senderId: d.admin.senderId });
    const shown = async () => {
      const { settings } = await call<{ settings: Record<string, { value: unknown }> }>(
        d.core,
        d.admin.senderId,
        'settings.get',
        {},
      );
      return [
        settings['idleLockMinutes']!.value,
        settings['reauthTwoFactorAfterMinutes']!.value,
        settings['weightUnit']!.value,
        settings['clinicName']!.value,
      ];
    };
    // Where each kind is kept: the user's preferences in the settings file, the administrator's
    // security choices (with who chose them and when) in the encrypted database.
    const settingsFile = () => readFileSync(path.join(d.dataDir, 'settings.json'), 'utf8');
    const choices = () => d.core.db!.prepare('SELECT * FROM workstation_settings ORDER BY key').all();
    expect(await update({ idleLockMinutes: 4, clinicName: 'Harbour Clinic' })).toMatchObject({ ok: true });
    const before = { shown: await shown(), file: settingsFile(), choices: choices() };
    expect(before.shown).toEqual([4, 60, 'kg', 'Harbour Clinic']);

    d.refuseAudit();
    // A preference, a security choice made before and one never made: all put back, and the
    // administrator is told as for any change the trail could not take.
    expect(
      await update({
        idleLockMinutes: 2,
        reauthTwoFactorAfterMinutes: 30,
        weightUnit: '[lb_av]',
        clinicName: 'Pier Clinic',
      }),
    ).toMatchObject(notSaved);
    expect(await update({ weightUnit: '[lb_av]' })).toMatchObject(notSaved);
    expect(await update({ reauthTwoFactorAfterMinutes: 20 })).toMatchObject(notSaved);
    expect(await shown()).toEqual(before.shown);
    expect(settingsFile()).toBe(before.file);
    expect(choices()).toEqual(before.choices);
    d.allowAudit();

    expect(await update({ reauthTwoFactorAfterMinutes: 30, weightUnit: '[lb_av]' })).toMatchObject({
      ok: true,
    });
    expect(await shown()).toEqual([4, 30, '[lb_av]', 'Harbour Clinic']);
    // The trail (newest first) holds the two changes that stayed, and none of those put back.
    expect((await d.trail('settings.update')).map((r) => [r.outcome, r.detail])).toEqual([
      ['success', 'reauthTwoFactorAfterMinutes:60->30 weightUnit:"kg"->"[lb_av]"'],
      ['success', 'clinicName:"Vitals Desk clinic"->"Harbour Clinic" idleLockMinutes:5->4'],
    ]);
  });

  it('the database key: unchanged while the trail refuses, and no record says it was rotated', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const patient = await call<Patient>(d.core, nurse.senderId, 'patients.register', {
      mrn: 'K-1',
      family: 'Keyes',
      given: 'Ada',
      birthDate: '1970-05-01',
      sex: 'female',
    });
    const keyBefore = Buffer.from(d.keys.current()!);

    d.refuseAudit();
    expect(await d.core.invoke('database.rotateKey', {}, { senderId: d.admin.senderId })).toMatchObject(
      notSaved,
    );
    d.allowAudit();
    // Same key, no copy left, the data still there, and the trail has no rotation in it.
    expect(d.keys.current()!.equals(keyBefore)).toBe(true);
    expect(existsSync(path.join(d.dataDir, `${DATABASE_FILE}${ROTATING_SUFFIX}`))).toBe(false);
    expect(
      (await call<Patient>(d.core, nurse.senderId, 'patients.get', { patientId: patient.id })).family,
    ).toBe('Keyes');
    expect((await d.trail('database.rotateKey')).filter((r) => r.outcome === 'success')).toEqual([]);

    // Once the trail writes, the key changes and exactly one record says so, in the file in force.
    expect(await d.core.invoke('database.rotateKey', {}, { senderId: d.admin.senderId })).toMatchObject({
      ok: true,
    });
    expect(d.keys.current()!.equals(keyBefore)).toBe(false);
    expect((await d.trail('database.rotateKey')).filter((r) => r.outcome === 'success')).toHaveLength(1);
    expect(await call(d.core, d.admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });

    // After a restart on the rotated file (under the new key) the record is there; the first
    // administrator exists in this file, so the row is read directly rather than signing in again.
    await d.core.close();
    cores.splice(cores.indexOf(d.core), 1);
    const { core: again } = await createTestCore({ dataDir: d.dataDir, dbKeyProvider: d.keys });
    cores.push(again);
    expect(
      again
        .db!.prepare(
          "SELECT count(*) FROM audit_log WHERE action = 'database.rotateKey' AND outcome = 'success'",
        )
        .pluck()
        .get(),
    ).toBe(1);
  });
});

/** Every account as stored, with its recovery codes: a refused account change must leave all of it as it was. */
function accountRows(core: Core) {
  return {
    users: core.db!.prepare('SELECT * FROM users ORDER BY id').all(),
    codes: core.db!.prepare('SELECT * FROM user_recovery_codes ORDER BY user_id, code_hash').all(),
  };
}

let probes = 0;
/** What a password opens, tried at a window of its own: how far sign-in gets, or the refusal's code. */
async function passwordOpens(core: Core, username: string, password: string): Promise<string> {
  probes += 1;
  const answer = await core.invoke('auth.signIn', { username, password }, { senderId: `probe-${probes}` });
  return answer.ok ? (answer.value as { result: string }).result : answer.error.code;
}

const stateOf = async (core: Core, senderId: string) =>
  call<{ state: string; twoFactorEnrolled: boolean }>(core, senderId, 'auth.status', {});

describe('an account change whose audit record cannot be written is not kept', () => {
  it('an administrator creating or changing an account: left exactly as it was while the trail refuses', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const asAdmin = { senderId: d.admin.senderId };
    const create = () =>
      d.core.invoke(
        'users.create',
        { username: 'new.nurse', displayName: 'New Nurse', role: 'nurse', password: TEMPORARY_PASSWORD },
        asAdmin,
      );
    const reset = {
      id: nurse.userId,
      displayName: 'Renamed Nurse',
      role: 'clinician',
      password: 'a fresh temporary password',
      resetTwoFactor: true,
    };
    const before = accountRows(d.core);

    d.refuseAudit();
    expect(await create()).toMatchObject(notSaved);
    expect(await d.core.invoke('users.update', reset, asAdmin)).toMatchObject(notSaved);
    expect(await d.core.invoke('users.update', { id: nurse.userId, disabled: true }, asAdmin)).toMatchObject(
      notSaved,
    );
    // No account made, and the nurse's name, role, password, authenticator and codes as they were.
    expect(accountRows(d.core)).toEqual(before);
    // She is still signed in at her window, with her two-step sign-in; her own password still opens
    // her account and the one the administrator tried to set does not.
    expect(await stateOf(d.core, nurse.senderId)).toMatchObject({
      state: 'signed-in',
      twoFactorEnrolled: true,
    });
    expect(await passwordOpens(d.core, nurse.username, nurse.password)).toBe('two-factor-required');
    expect(await passwordOpens(d.core, nurse.username, reset.password)).toBe('NOT_SIGNED_IN');
    expect(await passwordOpens(d.core, 'new.nurse', TEMPORARY_PASSWORD)).toBe('NOT_SIGNED_IN');

    // Once the trail writes, the same changes are made, each with its record.
    d.allowAudit();
    expect(await create()).toMatchObject({ ok: true, value: { username: 'new.nurse' } });
    expect(await passwordOpens(d.core, 'new.nurse', TEMPORARY_PASSWORD)).toBe('password-change-required');
    expect(await d.core.invoke('users.update', reset, asAdmin)).toMatchObject({
      ok: true,
      value: { displayName: 'Renamed Nurse', role: 'clinician', twoFactorEnrolled: false },
    });
    expect((await stateOf(d.core, nurse.senderId)).state).toBe('signed-out');
    expect(await passwordOpens(d.core, nurse.username, nurse.password)).toBe('NOT_SIGNED_IN');
    expect(await passwordOpens(d.core, nurse.username, reset.password)).toBe('password-change-required');
    expect((await d.trail('users.update')).map((r) => r.detail)).toEqual([
      'displayName role:clinician password two-factor-reset',
    ]);
    expect((await d.trail('users.create')).map((r) => r.detail)).toEqual([
      'role:nurse',
      'role:nurse',
      'first-admin',
    ]);
    expect(await call(d.core, d.admin.senderId, 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('changing one’s own password, set by the administrator or one’s own: the old one stays while the trail refuses', async () => {
    const clock = manualClock(new Date('2026-03-02T08:00:05Z'));
    const d = await desk(clock);
    const nurse = await signInAs(d.core, 'nurse');
    // She is signed in at a second window too, with the next code of her phone.
    clock.advance(30_000);
    const ward = 'test-nurse-ward';
    expect(
      await call(d.core, ward, 'auth.signIn', {
        username: nurse.username,
        password: nurse.password,
        totp: await currentTotp(nurse.totpSecret!, clock),
      }),
    ).toMatchObject({ result: 'signed-in' });
    // A new colleague at her first sign-in, who must replace the administrator's password.
    await call(d.core, d.admin.senderId, 'users.create', {
      username: 'first.day',
      displayName: 'First Day',
      role: 'clinician',
      password: TEMPORARY_PASSWORD,
    });
    const colleague = 'test-first-day';
    expect(
      await call<{ result: string }>(d.core, colleague, 'auth.signIn', {
        username: 'first.day',
        password: TEMPORARY_PASSWORD,
      }),
    ).toMatchObject({ result: 'password-change-required' });
    const change = (senderId: string, currentPassword: string, newPassword: string) =>
      d.core.invoke('auth.changePassword', { currentPassword, newPassword }, { senderId });
    const before = accountRows(d.core);

    d.refuseAudit();
    expect(await change(nurse.senderId, nurse.password, 'a new password of my own')).toMatchObject(notSaved);
    expect(await change(colleague, TEMPORARY_PASSWORD, 'the first day password')).toMatchObject(notSaved);
    expect(accountRows(d.core)).toEqual(before);
    // Every window is where it was: the nurse signed in at both, the colleague still to choose a password.
    expect((await stateOf(d.core, nurse.senderId)).state).toBe('signed-in');
    expect((await stateOf(d.core, ward)).state).toBe('signed-in');
    expect((await stateOf(d.core, colleague)).state).toBe('password-change-required');
    expect(await passwordOpens(d.core, nurse.username, nurse.password)).toBe('two-factor-required');
    expect(await passwordOpens(d.core, nurse.username, 'a new password of my own')).toBe('NOT_SIGNED_IN');
    expect(await passwordOpens(d.core, 'first.day', 'the first day password')).toBe('NOT_SIGNED_IN');

    d.allowAudit();
    expect(await change(nurse.senderId, nurse.password, 'a new password of my own')).toMatchObject({
      ok: true,
    });
    expect(await change(colleague, TEMPORARY_PASSWORD, 'the first day password')).toMatchObject({ ok: true });
    expect((await stateOf(d.core, colleague)).state).toBe('enrolment-required');
    // The new password signs her out where the old one was used, once it is kept.
    expect((await stateOf(d.core, ward)).state).toBe('signed-out');
    expect((await stateOf(d.core, nurse.senderId)).state).toBe('signed-in');
    expect(await passwordOpens(d.core, nurse.username, 'a new password of my own')).toBe(
      'two-factor-required',
    );
    expect(await passwordOpens(d.core, nurse.username, nurse.password)).toBe('NOT_SIGNED_IN');
    expect(await passwordOpens(d.core, 'first.day', 'the first day password')).toBe('enrolment-required');
    // Newest first: the two kept now, and the nurse's first change at her first sign-in.
    expect(
      (await d.trail('auth.changePassword')).filter((r) => r.outcome === 'success').map((r) => r.detail),
    ).toEqual(['was-set-by-admin', 'signed-out-elsewhere:1', 'was-set-by-admin']);
  });

  it('confirming an authenticator: no secret and no recovery codes kept while the trail refuses, the same QR code confirmed once it writes', async () => {
    const d = await desk();
    await call(d.core, d.admin.senderId, 'users.create', {
      username: 'new.clinician',
      displayName: 'New Clinician',
      role: 'clinician',
      password: TEMPORARY_PASSWORD,
    });
    const window = 'test-new-clinician';
    await call(d.core, window, 'auth.signIn', { username: 'new.clinician', password: TEMPORARY_PASSWORD });
    await call(d.core, window, 'auth.changePassword', {
      currentPassword: TEMPORARY_PASSWORD,
      newPassword: 'a clinician password',
    });
    const enrolment = await call<{ secret: string; recoveryCodes: string[] }>(
      d.core,
      window,
      'auth.enrolTotp',
      {},
    );
    const before = accountRows(d.core);

    d.refuseAudit();
    const code = await currentTotp(enrolment.secret, d.core.clock);
    expect(await d.core.invoke('auth.confirmTotp', { code }, { senderId: window })).toMatchObject(notSaved);
    expect(accountRows(d.core)).toEqual(before);
    expect(await stateOf(d.core, window)).toMatchObject({
      state: 'enrolment-required',
      twoFactorEnrolled: false,
    });
    // The account still signs in with its password alone, to the enrolment step: no code is asked for.
    expect(await passwordOpens(d.core, 'new.clinician', 'a clinician password')).toBe('enrolment-required');

    d.allowAudit();
    // The screen asks again and gets the QR code already scanned; the phone's code confirms it.
    expect(await call<{ secret: string }>(d.core, window, 'auth.enrolTotp', {})).toMatchObject({
      secret: enrolment.secret,
    });
    expect(await d.core.invoke('auth.confirmTotp', { code }, { senderId: window })).toMatchObject({
      ok: true,
      value: { state: 'signed-in', twoFactorEnrolled: true },
    });
    // Its recovery codes are kept with it, next to the other accounts' unchanged ones.
    expect(accountRows(d.core).codes).toHaveLength(before.codes.length + enrolment.recoveryCodes.length);
    expect(await passwordOpens(d.core, 'new.clinician', 'a clinician password')).toBe('two-factor-required');
  });

  it('sign-in attempts are events, not changes: a trail that refuses them does not switch lockout off', async () => {
    const d = await desk();
    const nurse = await signInAs(d.core, 'nurse');
    const records = () => d.core.db!.prepare('SELECT count(*) FROM audit_log').pluck().get();
    const before = records();
    d.refuseAudit();
    const guesses: string[] = [];
    for (let i = 0; i < 6; i++)
      guesses.push(await passwordOpens(d.core, nurse.username, `guess number ${i}`));
    // The count is kept with the account, not in the trail: the sixth guess is refused unchecked, and
    // so is the right password until the wait is over.
    expect(guesses).toEqual([...Array(5).fill('NOT_SIGNED_IN'), 'FORBIDDEN']);
    expect(await passwordOpens(d.core, nurse.username, nurse.password)).toBe('FORBIDDEN');
    d.allowAudit();
    expect(records()).toBe(before);
  });

  it('first-run setup: no administrator is made while the trail refuses, and setup can be done once it writes', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    core.db!.exec(`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit refused (test)'); END`);
    const setup = () =>
      core.invoke(
        'auth.setupFirstAdmin',
        { username: 'first.admin', displayName: 'First Admin', password: 'correct horse battery staple' },
        { senderId: 'setup' },
      );
    expect(await setup()).toMatchObject(notSaved);
    expect(accountRows(core).users).toEqual([]);
    expect((await stateOf(core, 'setup')).state).toBe('setup-required');
    core.db!.exec('DROP TRIGGER audit_refused');
    expect(await setup()).toMatchObject({ ok: true });
    expect(accountRows(core).users).toHaveLength(1);
  });
});
