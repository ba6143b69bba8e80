/**
 * The accept path in main, through core.invoke on a fake clock: the real core and encrypted database,
 * the simulated radio in place of a Bluetooth adapter (there is none here). A shift at one desk: two
 * patients, a cuff and an oximeter, a value left too long, an oximeter unplugged mid-visit, a shared
 * cuff, and the same reading accepted twice. Every refusal here is main's, whatever a screen would show.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';
import { parsePolicy } from '../../../main/policy/load';
import { manualClock } from '../../../main/platform/clock';
import type { DeviceReading } from '../../../shared/devices/reading';
import type { Observation, Patient } from '../../../shared/records';
import { createSimulatedDevice, CUFF_CYCLE } from '../../sim/ble/devices';
import { encodePlxContinuous, sfloat } from '../../sim/ble/encoders';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { call, createTestCore } from '../../support/core';
import { firstAdmin, signInAs, TEST_PASSWORD } from '../../support/session';
import { refuseAuditRecords } from '../../support/audit-fault';
import { until } from '../../support/until';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function shift(policy?: Record<string, unknown>) {
  const clock = manualClock(new Date());
  const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:20:01' });
  const oximeter = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:20:02' });
  ({ core } = await createTestCore({
    clock,
    devices: { bleAdapter: new SimulatedBleAdapter([cuff.peripheral, oximeter.peripheral]) },
    ...(policy ? { policy: { file: 'policy.json', ...parsePolicy(JSON.stringify(policy)) } } : {}),
  }));
  const c = core;
  const nurse = (await signInAs(c, 'nurse')).senderId;
  const readings: DeviceReading[] = [];
  const statuses: { deviceId: string; status: { state: string } }[] = [];
  c.events.subscribe((name, payload) => {
    if (name === 'devices.reading') readings.push(payload as DeviceReading);
    if (name === 'devices.status') statuses.push(payload as (typeof statuses)[number]);
  });
  const pair = async (name: string, driver: string, address: string) => {
    const { id } = await call<{ id: string }>(c, nurse, 'devices.pair', {
      name,
      transport: 'ble',
      driver,
      address,
    });
    await call(c, nurse, 'devices.connect', { id });
    return id;
  };
  const cuffId = await pair('Desk cuff', 'ble.blood-pressure', cuff.peripheral.address);
  const oximeterId = await pair('Desk oximeter', 'ble.pulse-oximeter', oximeter.peripheral.address);
  const register = (mrn: string, family: string) =>
    call<Patient>(c, nurse, 'patients.register', {
      mrn,
      family,
      given: 'A',
      birthDate: '1960-01-01',
      sex: 'female',
    });
  const [first, second] = [await register('MRN-1', 'First'), await register('MRN-2', 'Second')];
  const next = async (send: () => void) => {
    const before = readings.length;
    send();
    await until(() => readings.length > before, 'a reading');
    return readings.at(-1)!;
  };
  const accept = (readingId: string, patient: Patient) =>
    c.invoke('devices.accept', { readingId, patientId: patient.id }, { senderId: nurse });
  const bloodPressures = async (patient: Patient) =>
    (
      await call<Observation[]>(c, nurse, 'observations.history', {
        patientId: patient.id,
        code: '85354-9',
      })
    ).length;
  return {
    c,
    statuses,
    clock,
    cuff,
    oximeter,
    cuffId,
    oximeterId,
    nurse,
    first,
    second,
    next,
    accept,
    bloodPressures,
  };
}

describe('accepting a device reading, enforced in main', () => {
  it('files a reading once, for one patient, only while it is fresh and its device connected', async () => {
    const s = await shift();
    const measure = (systolic: number, userId?: number) =>
      s.next(() => {
        for (const mmHg of CUFF_CYCLE) s.cuff.sendCuffPressure(mmHg);
        s.cuff.measureBloodPressure({ systolic, diastolic: 80, ...(userId !== undefined ? { userId } : {}) });
      });

    const r1 = await measure(128);
    expect(r1).toMatchObject({ origin: 'live', cadence: 'spot-check' });
    const first = await s.accept(r1.readingId, s.first);
    expect(first).toMatchObject({
      ok: true,
      value: { alreadyAccepted: false, message: 'Accepted 128/80 mmHg from Desk cuff.' },
    });
    // Again, for the same patient: nothing added. For another patient: refused.
    expect(await s.accept(r1.readingId, s.first)).toMatchObject({
      ok: true,
      value: { alreadyAccepted: true },
    });
    expect(await s.accept(r1.readingId, s.second)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'This reading is already filed for another patient.' },
    });
    expect(await s.bloodPressures(s.first)).toBe(1);
    expect(await s.bloodPressures(s.second)).toBe(0);

    // Left on the desk: fresh for 30 s by default, then refused.
    const r2 = await measure(132);
    s.clock.advance(30_000);
    const onTime = await s.accept(r2.readingId, s.second);
    expect(onTime.ok).toBe(true);
    const r3 = await measure(136);
    s.clock.advance(30_001);
    expect(await s.accept(r3.readingId, s.second)).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(
          /^The value from Desk cuff is 30 s old; a value can be accepted for 30 s/,
        ),
      },
    });

    // A newer reading replaces the one shown: the older one is no longer offered.
    const r4 = await measure(140);
    await measure(142);
    expect(await s.accept(r4.readingId, s.second)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // The streaming oximeter: 5 s; unplugged: refused at once.
    const o1 = await s.next(() =>
      s.oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(96), pulseRate: sfloat(70) }), '2a5f'),
    );
    expect(o1.cadence).toBe('streaming');
    s.clock.advance(5_001);
    expect((await s.accept(o1.readingId, s.second)).ok).toBe(false);
    const o2 = await s.next(() =>
      s.oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(95), pulseRate: sfloat(70) }), '2a5f'),
    );
    s.oximeter.peripheral.dropLink();
    await until(
      () => s.statuses.some((e) => e.deviceId === s.oximeterId && e.status.state === 'waiting'),
      'the drop',
    );
    expect(await s.accept(o2.readingId, s.second)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Desk oximeter is disconnected') },
    });
  });

  it('a streaming oximeter: the value on screen is charted, not the newer one that came as the nurse pressed; never across a patient, a lock, a sign-in or a drop', async () => {
    const s = await shift();
    const plx = (spo2: number) =>
      s.next(() =>
        s.oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(spo2), pulseRate: sfloat(70) }), '2a5f'),
      );
    const spo2Of = async (patient: Patient) =>
      (
        await call<Observation[]>(s.c, s.nurse, 'observations.history', {
          patientId: patient.id,
          code: '59408-5',
        })
      ).map((o) => [o.value, o.effectiveAt]);
    // The intake desk opens the first patient (it asks for the visit's shared-device matches as it does).
    const open = (patient: Patient) => call(s.c, s.nurse, 'devices.userMatches', { patientId: patient.id });
    await open(s.first);
    s.clock.advance(1_000);

    // 96 % on her screen; 91 % reaches main in the instant she presses: 96 % is charted, at its own time.
    const seen = await plx(96);
    s.clock.advance(800);
    await plx(91);
    expect(await s.accept(seen.readingId, s.first)).toMatchObject({
      ok: true,
      value: {
        alreadyAccepted: false,
        message:
          'Accepted 96 %, 70 bpm from Desk oximeter, the value you saw; the newer 91 %, 70 bpm that came as you pressed was not charted.',
      },
    });
    expect(await spo2Of(s.first)).toEqual([[96, seen.measuredAt]]);
    // The filing is in the trail, as any accept is.
    const trail = () =>
      s.c
        .db!.prepare("SELECT outcome FROM audit_log WHERE action = 'devices.accept' ORDER BY seq")
        .pluck()
        .all();
    expect(trail()).toEqual(['success']);
    // Pressed twice: nothing added; for the other patient: refused.
    expect(await s.accept(seen.readingId, s.first)).toMatchObject({
      ok: true,
      value: { alreadyAccepted: true },
    });
    expect(await s.accept(seen.readingId, s.second)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    // Left more than 3 s: refused, though inside the oximeter's 5 s window had it been the newest.
    const late = await plx(95);
    s.clock.advance(1_000);
    await plx(94);
    s.clock.advance(2_001);
    expect(await s.accept(late.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('a newer one arrived') },
    });

    // A value replaced while the desk showed the first patient is not filed for the second one.
    const firstPatients = await plx(97);
    s.clock.advance(300);
    await open(s.second);
    await plx(96);
    expect((await s.accept(firstPatients.readingId, s.second)).ok).toBe(false);
    expect((await s.accept(firstPatients.readingId, s.first)).ok).toBe(false);

    // Locked and unlocked in between: refused, until the desk opens the visit again after the unlock.
    const beforeLock = await plx(98);
    await call(s.c, s.nurse, 'auth.lock', {});
    await call(s.c, s.nurse, 'auth.unlock', { password: TEST_PASSWORD });
    await plx(97);
    expect((await s.accept(beforeLock.readingId, s.second)).ok).toBe(false);

    // Another nurse signs in at this window (a quick switch): her colleague's screen is not hers.
    await open(s.second);
    s.clock.advance(1_000);
    const colleagues = await plx(93);
    await signInAs(s.c, 'nurse', s.nurse);
    await plx(92);
    expect((await s.accept(colleagues.readingId, s.second)).ok).toBe(false);

    // Unplugged just after it was replaced: refused at once.
    await open(s.second);
    s.clock.advance(1_000);
    const unplugged = await plx(99);
    await plx(98);
    s.oximeter.peripheral.dropLink();
    await until(
      () => s.statuses.some((e) => e.deviceId === s.oximeterId && e.status.state === 'waiting'),
      'the drop',
    );
    expect(await s.accept(unplugged.readingId, s.second)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Desk oximeter is disconnected') },
    });
    expect(await spo2Of(s.second)).toEqual([]);
    expect((await spo2Of(s.first)).map(([value]) => value)).toEqual([96]);
  });

  it('a replaced value whose audit record cannot be written is not filed, and the nurse can accept it again while it is fresh', async () => {
    const s = await shift();
    await call(s.c, s.nurse, 'devices.userMatches', { patientId: s.first.id });
    s.clock.advance(1_000);
    const send = (spo2: number) =>
      s.next(() =>
        s.oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(spo2), pulseRate: sfloat(70) }), '2a5f'),
      );
    const seen = await send(96);
    await send(93);
    const allowAudit = refuseAuditRecords(s.c.db!);
    expect(await s.accept(seen.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE },
    });
    const rows = () =>
      s.c.db!.prepare('SELECT count(*) FROM observations WHERE patient_id = ?').pluck().get(s.first.id);
    expect(rows()).toBe(0);
    allowAudit();
    s.clock.advance(1_000);
    expect(await s.accept(seen.readingId, s.first)).toMatchObject({
      ok: true,
      value: {
        alreadyAccepted: false,
        message: expect.stringMatching(/^Accepted 96 %, 70 bpm .*newer 93 %/),
      },
    });
    // The SpO₂ and the pulse rate of that one reading.
    expect(rows()).toBe(2);
  });

  it('a value from before a drop stays unacceptable once the device is back', async () => {
    const s = await shift();
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 127, diastolic: 81 }));
    s.cuff.peripheral.dropLink();
    await until(
      () => s.statuses.some((e) => e.deviceId === s.cuffId && e.status.state === 'waiting'),
      'the drop',
    );
    const dropped = s.statuses.length;
    s.cuff.peripheral.comeBack();
    await until(
      () => s.statuses.slice(dropped).some((e) => e.deviceId === s.cuffId && e.status.state === 'connected'),
      'the reconnection',
    );
    // Well inside its 30 s on the clock, and the cuff is connected again: still refused.
    expect(await s.accept(r.readingId, s.first)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Desk cuff is disconnected') },
    });
    const fresh = await s.next(() => s.cuff.measureBloodPressure({ systolic: 125, diastolic: 80 }));
    expect((await s.accept(fresh.readingId, s.first)).ok).toBe(true);
  });

  it('no value sent in is filed as measured by a device: paired here, elsewhere or none', async () => {
    const s = await shift();
    const admin = await firstAdmin(s.c);
    const sentIn = (extra: object) =>
      s.c.invoke(
        'observations.record',
        {
          patientId: s.first.id,
          kind: 'bloodPressure',
          components: [
            { kind: 'systolic', value: 122 },
            { kind: 'diastolic', value: 78 },
          ],
          effectiveAt: s.clock.now().toISOString(),
          ...extra,
        },
        { senderId: s.nurse },
      );
    const ble = (deviceId: string) => ({ deviceId, transport: 'ble', driver: 'ble.blood-pressure' });
    // A compromised or buggy screen tries every way of claiming a device measured a typed value.
    const attempts = [
      { method: 'device', device: ble(s.cuffId) }, // the cuff paired at this desk
      { method: 'device', device: ble('cuff-at-another-desk') }, // a device not paired here
      { method: 'device' }, // no device named at all
      { method: 'manual', device: ble('cuff-at-another-desk') }, // typed, with a device's provenance
      { method: 'manual', deviceNotes: ['Irregular pulse detected'] }, // typed, with a device's notes
    ];
    for (const attempt of attempts) {
      expect(await sentIn(attempt)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringContaining('accepting it from the device') },
      });
    }
    expect(await s.bloodPressures(s.first)).toBe(0);
    // The trail holds each refusal and no record of anything filed.
    const trail = await call<{ records: { outcome: string; detail: string | null }[] }>(
      s.c,
      admin.senderId,
      'audit.list',
      { filter: { action: 'observations.record' } },
    );
    expect(trail.records.map((r) => [r.outcome, r.detail])).toEqual(
      attempts.map(() => ['failure', 'FORBIDDEN']),
    );
    // The same value typed in is saved as typed in.
    expect(await sentIn({ method: 'manual' })).toMatchObject({
      ok: true,
      value: { method: 'manual', device: null },
    });
    expect(await s.bloodPressures(s.first)).toBe(1);
  });

  it('a reading whose audit record cannot be written is not filed, not announced, and can be accepted again', async () => {
    const s = await shift();
    const announced: string[] = [];
    s.c.events.subscribe((name, payload) => {
      if (name === 'observations.recorded')
        announced.push((payload as { observation: { kind: string } }).observation.kind);
    });
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 124, diastolic: 79 }));
    // The fault: the audit table refuses every insert (as a full disk or a damaged table would).
    const allowAudit = refuseAuditRecords(s.c.db!);
    expect(await s.accept(r.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE },
    });
    // Read from the file itself: a read through the app is refused too while the trail refuses.
    const rows = () =>
      s.c.db!.prepare('SELECT count(*) FROM observations WHERE patient_id = ?').pluck().get(s.first.id);
    expect(rows()).toBe(0);
    expect(announced).toEqual([]);
    // The trail takes records again: the same reading, still fresh, is accepted once.
    allowAudit();
    expect(await s.accept(r.readingId, s.first)).toMatchObject({
      ok: true,
      value: { alreadyAccepted: false },
    });
    expect(await s.bloodPressures(s.first)).toBe(1);
    expect(announced).toEqual(['bloodPressure']);
  });

  it('a correction or a withdrawal never turns a typed value into a device one', async () => {
    const s = await shift();
    const typed = await call<Observation>(s.c, s.nurse, 'observations.record', {
      patientId: s.first.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: s.clock.now().toISOString(),
      method: 'manual',
    });
    // A correction carries a value only: provenance in it is a bad request and changes nothing.
    for (const value of [
      { value: 74, method: 'device' },
      { value: 74, device: { deviceId: s.oximeterId, transport: 'ble', driver: 'ble.pulse-oximeter' } },
    ]) {
      expect(
        await s.c.invoke(
          'observations.amend',
          { observationId: typed.id, value, reason: 'Recounted' },
          { senderId: s.nurse },
        ),
      ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    const amended = await call<Observation>(s.c, s.nurse, 'observations.amend', {
      observationId: typed.id,
      value: { value: 74 },
      reason: 'Recounted',
    });
    expect(amended).toMatchObject({ method: 'manual', device: null, value: 74 });
    const withdrawn = await call<Observation>(s.c, s.nurse, 'observations.enterInError', {
      observationId: amended.id,
      reason: 'Wrong patient',
    });
    expect(withdrawn).toMatchObject({ method: 'manual', device: null, status: 'entered-in-error' });
    // And a device's reading corrected by hand is typed from then on.
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 126, diastolic: 82 }));
    expect((await s.accept(r.readingId, s.first)).ok).toBe(true);
    const [fromCuff] = await call<Observation[]>(s.c, s.nurse, 'observations.history', {
      patientId: s.first.id,
      code: '85354-9',
    });
    expect(fromCuff).toMatchObject({ method: 'device', device: { deviceId: s.cuffId } });
    const corrected = await call<Observation>(s.c, s.nurse, 'observations.amend', {
      observationId: fromCuff!.id,
      value: {
        components: [
          { kind: 'systolic', value: 128 },
          { kind: 'diastolic', value: 82 },
        ],
      },
      reason: 'Re-read the cuff display',
    });
    expect(corrected).toMatchObject({ method: 'manual', device: null });
  });

  it('the policy sets the freshness windows', async () => {
    const s = await shift({ readingFreshSpotCheckSeconds: 120 });
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 120, diastolic: 80 }));
    s.clock.advance(90_000);
    expect((await s.accept(r.readingId, s.first)).ok).toBe(true);
  });

  it('a shared cuff: held until the nurse files it here; matched for this patient only', async () => {
    const s = await shift();
    const measure = (systolic: number, userId: number) =>
      s.next(() => s.cuff.measureBloodPressure({ systolic, diastolic: 80, userId }));
    const r1 = await measure(121, 2);
    expect(r1.deviceUser).toBe(2);
    expect(await s.accept(r1.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Reading from user 2 of Desk cuff — whose is it?' },
    });
    // Filing needs the same freshness: a stale held reading is refused and no match is left behind.
    s.clock.advance(31_000);
    const late = await s.c.invoke(
      'devices.fileHeldReading',
      { readingId: r1.readingId, patientId: s.first.id },
      { senderId: s.nurse },
    );
    expect(late.ok).toBe(false);
    expect(await call(s.c, s.nurse, 'devices.userMatches', { patientId: s.first.id })).toEqual([]);

    const r2 = await measure(122, 2);
    const filed = await s.c.invoke(
      'devices.fileHeldReading',
      { readingId: r2.readingId, patientId: s.first.id },
      { senderId: s.nurse },
    );
    expect(filed).toMatchObject({ ok: true, value: { alreadyAccepted: false } });
    expect(await call(s.c, s.nurse, 'devices.userMatches', { patientId: s.first.id })).toEqual([
      { deviceId: s.cuffId, deviceUser: 2 },
    ]);
    // User 2 is the first patient now: accepted for them, held for anyone else.
    const r3 = await measure(123, 2);
    expect(await s.accept(r3.readingId, s.second)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await s.accept(r3.readingId, s.first)).ok).toBe(true);
    // Discarded: never filed, not even by a later accept.
    const r4 = await measure(150, 3);
    expect(
      (
        await s.c.invoke(
          'devices.discardHeldReading',
          { readingId: r4.readingId, patientId: s.first.id },
          { senderId: s.nurse },
        )
      ).ok,
    ).toBe(true);
    expect((await s.accept(r4.readingId, s.first)).ok).toBe(false);
    // The unknown user (0xFF) is no user: accepted as before.
    const r5 = await measure(119, 0xff);
    expect(r5.deviceUser).toBeUndefined();
    expect((await s.accept(r5.readingId, s.second)).ok).toBe(true);
    expect(await s.bloodPressures(s.first)).toBe(2);
    expect(await s.bloodPressures(s.second)).toBe(1);
  });

  it('a held reading whose audit record cannot be written is not filed or matched, and stays held to file again', async () => {
    const s = await shift();
    const announced: string[] = [];
    s.c.events.subscribe((name, payload) => {
      if (name === 'observations.recorded')
        announced.push((payload as { observation: { kind: string } }).observation.kind);
    });
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 131, diastolic: 84, userId: 2 }));
    const file = () =>
      s.c.invoke(
        'devices.fileHeldReading',
        { readingId: r.readingId, patientId: s.first.id },
        { senderId: s.nurse },
      );
    // The fault: the audit table refuses every insert.
    const allowAudit = refuseAuditRecords(s.c.db!);
    expect(await file()).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE },
    });
    // Not in the chart (read from the file itself), not shown, and user 2 is nobody's yet: the reading
    // is still held, so accepting it asks whose it is again.
    const rows = () =>
      s.c.db!.prepare('SELECT count(*) FROM observations WHERE patient_id = ?').pluck().get(s.first.id);
    expect(rows()).toBe(0);
    expect(announced).toEqual([]);
    expect(await s.accept(r.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Reading from user 2 of Desk cuff — whose is it?' },
    });
    allowAudit();
    expect(await call(s.c, s.nurse, 'devices.userMatches', { patientId: s.first.id })).toEqual([]);

    // The trail takes records again: the nurse files the same reading, once, and user 2 is matched.
    expect(await file()).toMatchObject({ ok: true, value: { alreadyAccepted: false } });
    expect(await s.bloodPressures(s.first)).toBe(1);
    expect(announced).toEqual(['bloodPressure']);
    expect(await call(s.c, s.nurse, 'devices.userMatches', { patientId: s.first.id })).toEqual([
      { deviceId: s.cuffId, deviceUser: 2 },
    ]);
    const trail = s.c
      .db!.prepare("SELECT outcome FROM audit_log WHERE action = 'devices.fileHeldReading'")
      .pluck()
      .all();
    expect(trail).toEqual(['success']);
  });

  it('a discard whose audit record cannot be written leaves the reading held, to decide again', async () => {
    const s = await shift();
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 155, diastolic: 95, userId: 3 }));
    const discard = () =>
      s.c.invoke(
        'devices.discardHeldReading',
        { readingId: r.readingId, patientId: s.first.id },
        { senderId: s.nurse },
      );
    const allowAudit = refuseAuditRecords(s.c.db!);
    expect(await discard()).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE },
    });
    allowAudit();
    // Still held: the nurse can file it, or discard it once the trail writes.
    expect(await s.accept(r.readingId, s.first)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Reading from user 3 of Desk cuff — whose is it?' },
    });
    expect(await discard()).toMatchObject({ ok: true });
    expect(await discard()).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const trail = s.c
      .db!.prepare("SELECT outcome FROM audit_log WHERE action = 'devices.discardHeldReading' ORDER BY seq")
      .pluck()
      .all();
    expect(trail).toEqual(['success', 'failure']);
  });

  it('the database itself refuses a second filing of the same reading', async () => {
    const s = await shift();
    const r = await s.next(() => s.cuff.measureBloodPressure({ systolic: 120, diastolic: 80 }));
    expect((await s.accept(r.readingId, s.first)).ok).toBe(true);
    const db = s.c.db!;
    const row = db
      .prepare("SELECT * FROM observations WHERE reading_id = ? AND kind = 'bloodPressure'")
      .get(r.readingId) as Record<string, unknown>;
    expect(() =>
      db
        .prepare(
          'INSERT INTO observations (id, series_id, patient_id, code, kind, components, effective_at, recorded_at, recorded_by, method, device_id, status, reading_id) VALUES (@id, @id, @patient_id, @code, @kind, @components, @effective_at, @recorded_at, @recorded_by, @method, @device_id, @status, @reading_id)',
        )
        .run({ ...row, id: 'another-row-id' }),
    ).toThrow(/UNIQUE/);
  });
});
