/**
 * Main refuses a rare value or a typed jump without the nurse's second confirmation, whatever sent it,
 * through the real core and its encrypted database: a shift with two patients, a typo, a scale in lb
 * and a cuff reading accepted from a simulated cuff.
 */
import { describe, expect, it } from 'vitest';
import type { Observation, Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import type { DeviceReading } from '../../../shared/devices/reading';
import { createSimulatedDevice } from '../../sim/ble/devices';
import { SimulatedBleAdapter } from '../../sim/ble/simulated-adapter';
import { until } from '../../support/until';

const DAY = 86_400_000;

describe('second confirmation in main', () => {
  it('refuses outer-band values and typed jumps with NEEDS_CONFIRMATION, saves them once confirmed', async () => {
    // The simulated radio stands in for a Bluetooth adapter (there is none here).
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:30:01' });
    const scale = createSimulatedDevice('weight-scale', { address: 'c0:ff:ee:00:30:02' });
    const { core } = await createTestCore({
      devices: { bleAdapter: new SimulatedBleAdapter([cuff.peripheral, scale.peripheral]) },
    });
    const nurse = await signInAs(core, 'nurse');
    const s = nurse.senderId;
    for (const [name, driver, address] of [
      ['Desk cuff', 'ble.blood-pressure', cuff.peripheral.address],
      ['Desk scale', 'ble.weight-scale', scale.peripheral.address],
    ]) {
      const { id } = await call<{ id: string }>(core, s, 'devices.pair', {
        name,
        transport: 'ble',
        driver,
        address,
      });
      await call(core, s, 'devices.connect', { id });
    }
    const readings: DeviceReading[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'devices.reading') readings.push(payload as DeviceReading);
    });
    const reading = async (measure: () => void): Promise<DeviceReading> => {
      const before = readings.length;
      measure();
      await until(() => readings.length > before, 'a device reading');
      return readings.at(-1)!;
    };
    const accept = (r: DeviceReading, patient: Patient, confirmed?: string[]) =>
      core.invoke(
        'devices.accept',
        { readingId: r.readingId, patientId: patient.id, ...(confirmed ? { confirmed } : {}) },
        { senderId: s },
      );
    const register = (mrn: string, family: string) =>
      call<Patient>(core, s, 'patients.register', {
        mrn,
        family,
        given: 'A',
        birthDate: '1960-01-01',
        sex: 'female',
      });
    const first = await register('S-1', 'Okafor');
    const second = await register('S-2', 'Lindqvist');
    const record = (patient: Patient, body: object, at = new Date()) =>
      core.invoke(
        'observations.record',
        { patientId: patient.id, effectiveAt: at.toISOString(), method: 'manual', ...body },
        { senderId: s },
      );
    const latest = async (patient: Patient, kind: string) =>
      (await call<Observation[]>(core, s, 'observations.latest', { patientId: patient.id })).find(
        (o) => o.kind === kind,
      );

    // The seen case: respiratory rate 2 without a confirmation saves nothing and says what to confirm.
    const typo = await record(first, { kind: 'respiratoryRate', value: 2 });
    expect(typo).toMatchObject({
      ok: false,
      error: {
        code: 'NEEDS_CONFIRMATION',
        issues: [{ path: 'confirmed.outer-band', message: expect.stringContaining('below 6 breaths/min') }],
      },
    });
    if (!typo.ok) expect(typo.error.message).not.toMatch(/\b2\b/);
    expect(await latest(first, 'respiratoryRate')).toBeUndefined();
    // Confirming the wrong thing does not help; confirming the right one saves it.
    expect(await record(first, { kind: 'respiratoryRate', value: 2, confirmed: ['jump'] })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION' },
    });
    expect(
      await record(first, { kind: 'respiratoryRate', value: 2, confirmed: ['outer-band'] }),
    ).toMatchObject({
      ok: true,
    });
    expect((await latest(first, 'respiratoryRate'))?.value).toBe(2);
    // A correction is typed too: correcting it to 3 (still rare) asks again; a correction far from the
    // value it replaces is no jump (that is what corrections are for).
    const amend = async (value: number, confirmed?: string[]) =>
      core.invoke(
        'observations.amend',
        {
          observationId: (await latest(first, 'respiratoryRate'))!.id,
          value: { value },
          reason: 'Recounted over a full minute',
          ...(confirmed ? { confirmed } : {}),
        },
        { senderId: s },
      );
    expect(await amend(3)).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', issues: [{ path: 'confirmed.outer-band' }] },
    });
    expect((await latest(first, 'respiratoryRate'))?.value).toBe(2);
    expect(await amend(3, ['outer-band'])).toMatchObject({
      ok: true,
      value: { value: 3, status: 'amended' },
    });
    expect(await amend(16)).toMatchObject({ ok: true, value: { value: 16 } }); // 3 → 16: more than 12, not asked

    // An ordinary value needs nothing; an unknown confirmation is a bad request.
    expect(await record(first, { kind: 'respiratoryRate', value: 14 })).toMatchObject({ ok: true });
    expect(await record(first, { kind: 'respiratoryRate', value: 14, confirmed: ['yes'] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });

    // A device accept is checked for the outer band too (the cuff says 232/96).
    const cuffReading = await reading(() => cuff.measureBloodPressure({ systolic: 232, diastolic: 96 }));
    expect(await accept(cuffReading, first)).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', issues: [{ path: 'confirmed.outer-band' }] },
    });
    expect(await latest(first, 'bloodPressure')).toBeUndefined();
    expect(await accept(cuffReading, first, ['outer-band'])).toMatchObject({ ok: true });
    expect((await latest(first, 'bloodPressure'))?.method).toBe('device');

    // Weight: 85 kg on a visit 19 days ago; today 187 typed in kg is a jump for this patient only.
    expect(
      await record(first, { kind: 'bodyWeight', value: 85 }, new Date(Date.now() - 19 * DAY)),
    ).toMatchObject({ ok: true });
    const jump = await record(first, { kind: 'bodyWeight', value: 187 });
    expect(jump).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', issues: [{ path: 'confirmed.jump' }] },
    });
    if (!jump.ok) expect(jump.error.message).not.toMatch(/187|85/);
    expect((await latest(first, 'bodyWeight'))?.value).toBe(85);
    // The other patient has no previous weight: 187 is theirs to keep without a question.
    expect(await record(second, { kind: 'bodyWeight', value: 187 })).toMatchObject({ ok: true });
    // The nurse took the offered reading, 187 lb = 84.8 kg: no jump, saved at once.
    expect(await record(first, { kind: 'bodyWeight', value: 84.82 })).toMatchObject({ ok: true });
    // A weight from 40 days ago is outside the window: no question.
    const third = await register('S-3', 'Nakamura');
    expect(
      await record(third, { kind: 'bodyWeight', value: 60 }, new Date(Date.now() - 40 * DAY)),
    ).toMatchObject({ ok: true });
    expect(await record(third, { kind: 'bodyWeight', value: 70 })).toMatchObject({ ok: true });

    // A scale's weight is not a typed value: a device cannot mix its units, so no jump question.
    const weighed = await reading(() => scale.measureWeight({ kg: 120 }));
    expect(await accept(weighed, second)).toMatchObject({
      ok: true,
      value: { observations: [{ kind: 'bodyWeight', value: 120, method: 'device' }] },
    });
    await core.close();
  });
});
