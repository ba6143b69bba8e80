/**
 * A nurse's run of patients with the desk's devices, the way the shift goes: a USB oximeter (a socat
 * pseudo-terminal writing real Nonin bytes) and a Bluetooth cuff (the simulated radio stands in for an
 * adapter this machine lacks). The cuff's result for one patient arrives as she moves on to the next;
 * the oximeter is unplugged mid-reading; a value is typed by hand; the screen is locked and unlocked.
 * Every value must reach the patient it was measured on, or nobody. Screenshots: test-results/next-patient-*.png.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNonin8 } from '../../main/devices/serial/drivers/nonin-8';
import { manualClock } from '../../main/platform/clock';
import { parsePolicy } from '../../main/policy/load';
import type { Observation, Patient } from '../../shared/records';
import { createSimulatedDevice } from '../sim/ble/devices';
import { SimulatedBleAdapter } from '../sim/ble/simulated-adapter';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';
import { switchUserAtLock } from './sign-in';
import { poll } from './review-steps';

/** The window the page signed in from, as main knows it. */
const PAGE_SENDER = 'chromium-page-1';

let ws: Workstation | undefined;
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.close();
  pty = undefined;
  await ws?.close();
  ws = undefined;
});

describe('the next patient at a desk with devices', () => {
  it("never offers or files the previous patient's cuff result; an unplugged oximeter and a lock lose nothing else", async () => {
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:20:01' });
    ws = await startWorkstation({
      route: 'intake',
      signIn: 'nurse',
      core: { devices: { bleAdapter: new SimulatedBleAdapter([cuff.peripheral]) } },
    });
    const { page, core } = ws;
    const nurse = ws.account!;
    // IT paired the desk's devices once; the day's patients are registered.
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    pty = await createPtyPair(ws.dataDir, 'oximeter');
    await call(core, setup, 'devices.pair', {
      name: 'Desk oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: pty.portPath,
    });
    await call(core, setup, 'devices.pair', {
      name: 'Desk cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: cuff.peripheral.address,
    });
    const register = (mrn: string, family: string, given: string, birthDate: string) =>
      call<Patient>(core, setup, 'patients.register', { mrn, family, given, birthDate, sex: 'female' });
    const abara = await register('NP-1', 'Abara', 'Ngozi', '1950-02-03');
    const berg = await register('NP-2', 'Berg', 'Lena', '1977-11-30');
    const bpOf = async (p: Patient) =>
      (
        await call<Observation[]>(core, setup, 'observations.history', {
          patientId: p.id,
          code: '85354-9',
          from: '2000-01-01T00:00:00Z',
        })
      ).map((o) =>
        o.components
          ?.slice(0, 2)
          .map((c) => c.value)
          .join('/'),
      );
    const spo2Of = async (p: Patient) =>
      (
        await call<Observation[]>(core, setup, 'observations.history', {
          patientId: p.id,
          code: '59408-5',
          from: '2000-01-01T00:00:00Z',
        })
      ).map((o) => `${o.value} ${o.method}`);
    await page.reload();

    const startVisit = async () => {
      await page.getByLabel('Reason for visit').fill('Shift check');
      await page.getByRole('button', { name: 'Start visit' }).click();
      await page.getByText(/Visit in progress since/).waitFor();
    };
    const status = page.getByTestId('accept-status');
    const bpCard = page.getByTestId('vital-bloodPressure');
    const spo2Card = page.getByTestId('vital-spo2');

    // First patient: both devices connected, the oximeter's value accepted from the keyboard.
    await openPatientAtIntake(page, 'NP-1', /ABARA, Ngozi/);
    await startVisit();
    await page.getByRole('button', { name: 'Connect Desk oximeter' }).click();
    await page.getByRole('button', { name: 'Connect Desk cuff' }).click();
    await poll(() =>
      page
        .getByTestId('device-list')
        .getByText(/Connected|Measuring/)
        .count(),
    ).toBe(2);
    pty.write(encodeNonin8({ heartRate: 84, spo2: 95 }));
    await poll(() => spo2Card.getByTestId('vital-spo2-live-value').textContent()).toBe('95 %');
    await page.keyboard.press('Alt+7');
    await page.keyboard.press('Alt+A');
    await poll(() => status.textContent()).toContain('Accepted');
    // Her cuff result comes as she turns to the next patient: she does not accept it.
    cuff.measureBloodPressure({ systolic: 151, diastolic: 92, pulse: 80 });
    await poll(() => bpCard.getByTestId('vital-bloodPressure-live-value').textContent()).toBe('151/92 mmHg');
    await ws.screenshot('next-patient-01-first-cuff-result');

    // Second patient, within the cuff's 30 s: the first patient's 151/92 is shown as not hers.
    await page.keyboard.press('Alt+P');
    await openPatientAtIntake(page, 'NP-2', /BERG, Lena/);
    await startVisit();
    const bpLive = bpCard.getByTestId('vital-bloodPressure-live');
    await bpLive.waitFor();
    expect(await bpLive.getAttribute('data-live-state')).toBe('earlier');
    expect(await bpLive.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    expect(await bpCard.getByTestId('vital-bloodPressure-live-status').textContent()).toMatch(
      /^Came \d+ s ago, before BERG, Lena was opened — may be the previous patient’s; take a new reading$/,
    );
    await ws.screenshot('next-patient-02-earlier-value-not-offered', { window: true });
    // Alt+A on the card says why and files nothing; with no card focused it finds nothing to accept.
    await page.keyboard.press('Alt+6');
    await page.keyboard.press('Alt+A');
    await poll(() => status.textContent()).toContain('before BERG, Lena was opened');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Alt+A');
    await poll(() => status.textContent()).toBe('No device value can be accepted now.');
    // Main decides, not the screen: asked directly from her window, it refuses too.
    const [shown] = (
      await call<{ devices: { name: string; lastReading: { readingId: string } | null }[] }>(
        core,
        setup,
        'devices.list',
        {},
      )
    ).devices.filter((d) => d.name === 'Desk cuff');
    const encounter = await call<{ id: string }>(core, setup, 'encounters.current', { patientId: berg.id });
    const refused = await core.invoke(
      'devices.accept',
      { readingId: shown!.lastReading!.readingId, patientId: berg.id, encounterId: encounter.id },
      { senderId: PAGE_SENDER },
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('came before this patient was opened') },
    });
    expect(await bpOf(berg)).toEqual([]);
    expect(await bpOf(abara)).toEqual([]);

    // Her own measurement is offered and filed.
    cuff.measureBloodPressure({ systolic: 128, diastolic: 84, pulse: 72 });
    await poll(() => bpLive.getAttribute('data-live-state')).toBe('fresh');
    expect(await bpCard.getByTestId('vital-bloodPressure-live-value').textContent()).toBe('128/84 mmHg');
    await bpLive.getByRole('button', { name: 'Accept' }).click();
    await poll(() => bpCard.getByTestId('vital-bloodPressure-value').textContent()).toMatch(/^128\/84 mmHg/);
    await ws.screenshot('next-patient-03-own-value-accepted');

    // The oximeter's cable is pulled as it reads: its last value cannot be accepted; she types one.
    pty.write(encodeNonin8({ heartRate: 90, spo2: 93 }));
    await poll(() => spo2Card.getByTestId('vital-spo2-live-value').textContent()).toBe('93 %');
    await pty.unplug();
    await poll(() => spo2Card.getByTestId('vital-spo2-live-status').textContent()).toMatch(
      /^Last from Desk oximeter \d+ s ago — disconnected$/,
    );
    expect(await spo2Card.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await ws.screenshot('next-patient-04-oximeter-unplugged', { window: true });
    await spo2Card.getByLabel(/Value/).fill('94');
    await spo2Card.getByRole('button', { name: 'Save' }).click();
    await poll(() => spo2Card.getByTestId('vital-spo2-value').textContent()).toBe('94 % on air');

    // A result for this patient, then a lock and an unlock by her: still hers to accept.
    cuff.measureBloodPressure({ systolic: 131, diastolic: 86, pulse: 70 });
    await poll(() => bpCard.getByTestId('vital-bloodPressure-live-value').textContent()).toBe('131/86 mmHg');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(nurse.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('patient-banner').getByText('BERG, Lena').waitFor();
    await poll(() => bpLive.getAttribute('data-live-state')).toBe('fresh');
    await bpLive.getByRole('button', { name: 'Accept' }).click();
    await poll(() => status.textContent()).toContain('Accepted 131/86');
    await ws.screenshot('next-patient-05-after-unlock');

    // Each value on the patient it was measured on; the first patient's cuff result on nobody.
    expect(await spo2Of(abara)).toEqual(['95 device']);
    expect(await bpOf(abara)).toEqual([]);
    expect((await spo2Of(berg)).sort()).toEqual(['94 manual']);
    expect((await bpOf(berg)).sort()).toEqual(['128/84', '131/86']);
  });
  it("a colleague who switches in and opens another patient is never offered the first nurse's cuff result", async () => {
    // The core's clock is moved by hand (a phone's next sign-in code comes 30 s later); the clinic's
    // policy keeps a cuff's result acceptable for 5 minutes, so only whose it is can refuse it here.
    const clock = manualClock(new Date());
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:20:02' });
    const policy = parsePolicy(JSON.stringify({ readingFreshSpotCheckSeconds: 300 }));
    ws = await startWorkstation({
      route: 'intake',
      signIn: 'nurse',
      core: {
        clock,
        policy: { file: 'policy.json', ...policy },
        devices: { bleAdapter: new SimulatedBleAdapter([cuff.peripheral]) },
      },
    });
    const { page, core } = ws;
    const colleague = await signInAs(core, 'nurse', 'colleague-window');
    await core.invoke('auth.signOut', {}, { senderId: 'colleague-window' });
    const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
    await call(core, setup, 'devices.pair', {
      name: 'Desk cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: cuff.peripheral.address,
    });
    const register = (mrn: string, family: string, given: string) =>
      call<Patient>(core, setup, 'patients.register', {
        mrn,
        family,
        given,
        birthDate: '1961-05-05',
        sex: 'male',
      });
    const first = await register('SW-1', 'Okafor', 'Emeka');
    const second = await register('SW-2', 'Silva', 'Rui');
    const bpOf = async (p: Patient) =>
      (
        await call<Observation[]>(core, setup, 'observations.history', {
          patientId: p.id,
          code: '85354-9',
          from: '2000-01-01T00:00:00Z',
        })
      ).map((o) => o.components?.[0]?.value);
    await page.reload();
    const bpCard = page.getByTestId('vital-bloodPressure');
    const bpLive = bpCard.getByTestId('vital-bloodPressure-live');

    // The first nurse's patient: the cuff's result comes, and she is called away before accepting it.
    await openPatientAtIntake(page, 'SW-1', /OKAFOR, Emeka/);
    await page.getByRole('button', { name: 'Connect Desk cuff' }).click();
    await page
      .getByTestId('device-list')
      .getByText(/Connected|Measuring/)
      .waitFor();
    cuff.measureBloodPressure({ systolic: 162, diastolic: 95, pulse: 88 });
    await poll(() => bpLive.getAttribute('data-live-state')).toBe('fresh');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();

    // Her colleague switches in and opens her own patient: the first patient's 162/95 is not hers.
    await switchUserAtLock(page, clock, colleague);
    await openPatientAtIntake(page, 'SW-2', /SILVA, Rui/);
    await bpLive.waitFor();
    expect(await bpLive.getAttribute('data-live-state')).toBe('earlier');
    expect(await bpLive.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await ws.screenshot('next-patient-06-colleague-not-offered', { window: true });
    const [cuffNow] = (
      await call<{ devices: { lastReading: { readingId: string } | null }[] }>(
        core,
        setup,
        'devices.list',
        {},
      )
    ).devices;
    const refused = await core.invoke(
      'devices.accept',
      { readingId: cuffNow!.lastReading!.readingId, patientId: second.id },
      { senderId: PAGE_SENDER },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // Her own measurement is offered and filed to her patient.
    cuff.measureBloodPressure({ systolic: 118, diastolic: 76, pulse: 64 });
    await poll(() => bpLive.getAttribute('data-live-state')).toBe('fresh');
    await bpLive.getByRole('button', { name: 'Accept' }).click();
    await poll(() => page.getByTestId('accept-status').textContent()).toContain('Accepted 118/76');
    expect(await bpOf(second)).toEqual([118]);
    expect(await bpOf(first)).toEqual([]);
  });
});
