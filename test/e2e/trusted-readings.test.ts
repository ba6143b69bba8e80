/**
 * Readings a nurse can trust, at the intake desk in Chromium with the real core: the simulated radio
 * stands in for a Bluetooth adapter (this machine has none) and simulated cuffs, oximeters and scales
 * send the specifications' real bytes. Every refusal is checked twice: what the screen says, and that
 * main refuses the same reading when asked directly (the screen only explains; main decides).
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../main/policy/load';
import type { Observation, Patient } from '../../shared/records';
import { createSimulatedDevice, CUFF_CYCLE, type SimulatedHealthDevice } from '../sim/ble/devices';
import {
  encodeBloodPressure,
  encodePlxContinuous,
  sfloat,
  simDateTime,
  SFLOAT_SPECIALS,
} from '../sim/ble/encoders';
import { SimulatedBleAdapter } from '../sim/ble/simulated-adapter';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const DAY = 24 * 60 * 60_000;
/** About eighteen months: the cuff "stamps 2025" while the desk is in 2026. */
const EIGHTEEN_MONTHS = 547 * DAY;

interface Desk {
  ws: Workstation;
  setup: string;
  patient: Patient;
  deviceIds: Record<string, string>;
}

/** A nurse's desk with these devices paired, the patient open and each device connected. */
async function desk(
  devices: { name: string; driver: string; sim: SimulatedHealthDevice }[],
  policy?: Record<string, unknown>,
): Promise<Desk> {
  ws = await startWorkstation({
    route: 'intake',
    signIn: 'nurse',
    core: {
      devices: { bleAdapter: new SimulatedBleAdapter(devices.map((d) => d.sim.peripheral)) },
      ...(policy ? { policy: { file: 'policy.json', ...parsePolicy(JSON.stringify(policy)) } } : {}),
    },
  });
  const { page, core } = ws;
  const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
  const deviceIds: Record<string, string> = {};
  for (const d of devices) {
    const entry = await call<{ id: string }>(core, setup, 'devices.pair', {
      name: d.name,
      transport: 'ble',
      driver: d.driver,
      address: d.sim.peripheral.address,
    });
    deviceIds[d.name] = entry.id;
  }
  const patient = await call<Patient>(core, setup, 'patients.register', {
    mrn: 'MRN-44120',
    family: 'Haddad',
    given: 'Samir',
    birthDate: '1958-09-03',
    sex: 'male',
  });
  await page.reload();
  await openPatientAtIntake(page, 'MRN-44120', /HADDAD, Samir/);
  for (const d of devices) {
    await page.getByRole('button', { name: `Connect ${d.name}` }).click();
    await page
      .getByTestId(`device-${deviceIds[d.name]}`)
      .getByText(/Connected|Measuring/)
      .waitFor();
  }
  return { ws, setup, patient, deviceIds };
}

/** The page's event bridge, with the device readings held back a moment (see the oximeter test). */
interface HeldBridge {
  __vitalsDeliver: (name: string, payload: unknown) => void;
  __releaseHeld?: () => void;
}

interface DeviceList {
  devices: { id: string; lastReading: { readingId: string } | null }[];
}

/** No serious or critical accessibility problem on the screen as it is now. */
async function expectAccessible(d: Desk): Promise<void> {
  const axe = await new AxeBuilder({ page: d.ws.page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function observations(d: Desk, kind: string): Promise<Observation[]> {
  const all = await call<Observation[]>(d.ws.core, d.setup, 'observations.history', {
    patientId: d.patient.id,
    code: { bloodPressure: '85354-9', spo2: '59408-5', heartRate: '8867-4' }[kind]!,
    from: '2000-01-01T00:00:00Z',
  });
  return all;
}

/** Main's answer to accepting this reading for the desk's patient, asked directly (not through the screen). */
async function acceptDirectly(d: Desk, readingId: string) {
  return d.ws.core.invoke('devices.accept', { readingId, patientId: d.patient.id }, { senderId: d.setup });
}

/** Where the focused control is drawn: its box, the bottom of the banner and visit strip, the window's height. */
async function focusedBox(d: Desk) {
  return d.ws.page.evaluate(() => {
    const el = document.activeElement;
    const r = el?.getBoundingClientRect();
    const strip = document.querySelector('[data-testid="visit-panel"]')?.getBoundingClientRect();
    return {
      id: el?.id ?? '',
      top: r?.top ?? -1,
      bottom: r?.bottom ?? -1,
      left: r?.left ?? -1,
      right: r?.right ?? -1,
      stripBottom: strip?.bottom ?? 0,
      width: window.innerWidth,
      height: window.innerHeight,
    };
  });
}

/** The focused control wholly inside the window and below the banner and visit strip (WCAG 2.4.11). */
async function expectFocusSeen(d: Desk, when: string) {
  // As drawn: after the next frames, when the page has laid out and followed what changed.
  await d.ws.page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  const f = await focusedBox(d);
  expect(f.top, `${when}: ${f.id} below the visit strip`).toBeGreaterThanOrEqual(f.stripBottom - 1);
  expect(f.bottom, `${when}: ${f.id} above the window's bottom`).toBeLessThanOrEqual(f.height + 1);
  expect(f.left, `${when}: ${f.id} inside the window`).toBeGreaterThanOrEqual(0);
  expect(f.right, `${when}: ${f.id} inside the window`).toBeLessThanOrEqual(f.width + 1);
  return f;
}

/** Where the first row of vital cards starts on the page (not in the window: scrolling does not move it). */
async function cardsOnPage(d: Desk): Promise<number> {
  return d.ws.page.evaluate(
    () => document.querySelector('.vital-card')!.getBoundingClientRect().top + window.scrollY,
  );
}

async function liveReadingId(d: Desk, card: string): Promise<string> {
  const id = await d.ws.page.getByTestId(`vital-${card}-live`).getAttribute('data-reading-id');
  if (!id) throw new Error(`no live reading on ${card}`);
  return id;
}

describe('readings a nurse can trust', () => {
  it('device clocks: a live reading from a wrong clock is filed at receipt and says so; the memory is listed apart; the clock can be set', async () => {
    const now = Date.now();
    // Stored in the cuff before this visit (by its own clock, 18 months behind): yesterday and two days ago.
    const stored = (daysAgo: number, systolic: number) =>
      encodeBloodPressure({
        systolic: sfloat(systolic),
        diastolic: sfloat(84),
        meanArterialPressure: SFLOAT_SPECIALS.NaN,
        timestamp: simDateTime(new Date(now - EIGHTEEN_MONTHS - daysAgo * DAY)),
      });
    const cuff = createSimulatedDevice('blood-pressure', {
      address: 'c0:ff:ee:00:12:01',
      clockOffsetMs: -EIGHTEEN_MONTHS,
      backlog: [stored(2, 141), stored(1, 138)],
    });
    const d = await desk([{ name: 'Desk cuff', driver: 'ble.blood-pressure', sim: cuff }]);
    const { page } = d.ws;

    // The backlog is listed apart with its own (corrected) times, never the card's live value.
    const memory = page.getByTestId('device-memory');
    await expect.poll(() => memory.getByTestId('device-memory-item').count()).toBe(2);
    expect(await memory.getByRole('heading').textContent()).toBe('From the device’s memory');
    expect(await page.getByTestId('vital-bloodPressure-live').count()).toBe(0);
    expect(await memory.textContent()).toContain('Device clock is 1 year 6 months behind — time corrected');
    const clockInfo = page.getByTestId(`device-clock-${d.deviceIds['Desk cuff']}`);
    expect(await clockInfo.textContent()).toContain('Device clock 1 year 6 months behind');
    await d.ws.screenshot('trusted-readings-1-memory-list');

    // A value typed in first, then the cuff measures now: the device value is the newer one.
    await page.keyboard.press('Alt+6');
    await page.keyboard.type('168');
    await page.getByLabel('Diastolic (mmHg)').fill('98');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('vital-bloodPressure-value').textContent()).toMatch(/^168\/98/);
    for (const mmHg of CUFF_CYCLE) cuff.sendCuffPressure(mmHg);
    cuff.measureBloodPressure({ systolic: 122, diastolic: 78, pulse: 64 });
    const card = page.getByTestId('vital-bloodPressure');
    await expect
      .poll(() => card.getByTestId('vital-bloodPressure-live-value').textContent())
      .toBe('122/78 mmHg');
    expect(await card.getByTestId('vital-bloodPressure-live-notes').textContent()).toBe(
      'Device clock is 1 year 6 months behind — time of receipt used',
    );
    await expectAccessible(d);
    await d.ws.screenshot('trusted-readings-1-clock-warning');
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => card.getByTestId('vital-bloodPressure-value').textContent()).toMatch(/^122\/78/);
    expect(await card.getByTestId('vital-bloodPressure-device-notes').textContent()).toBe(
      'Device clock is 1 year 6 months behind — time of receipt used',
    );
    const filed = (await observations(d, 'bloodPressure')).find((o) => o.method === 'device')!;
    // Filed now, not in 2025; the offset kept with the device's provenance.
    expect(Math.abs(Date.parse(filed.effectiveAt) - Date.now())).toBeLessThan(60_000);
    expect(Math.round(filed.device!.clockOffsetMs! / DAY)).toBe(-547);

    // One stored reading belongs to this visit's story: the nurse accepts it explicitly, at its own time.
    await memory.getByRole('button', { name: /^Accept 138\/84 mmHg/ }).click();
    await expect.poll(() => memory.getByTestId('device-memory-item').count()).toBe(1);
    const fromMemory = (await observations(d, 'bloodPressure')).find((o) => o.components[0]?.value === 138)!;
    expect(Math.round((Date.now() - Date.parse(fromMemory.effectiveAt)) / DAY)).toBe(1);
    // The card still shows the newest value, not the older one from memory.
    expect(await card.getByTestId('vital-bloodPressure-value').textContent()).toMatch(/^122\/78/);

    // Set the cuff's clock (Current Time Service): the next reading needs no warning.
    await page.getByRole('button', { name: 'Set device clock of Desk cuff' }).click();
    await expect.poll(() => clockInfo.textContent()).toContain('Device clock right');
    expect(Math.abs(cuff.clockOffsetMs)).toBeLessThan(2_000);
    for (const mmHg of CUFF_CYCLE) cuff.sendCuffPressure(mmHg);
    cuff.measureBloodPressure({ systolic: 118, diastolic: 76, pulse: 62 });
    await expect
      .poll(() => card.getByTestId('vital-bloodPressure-live-value').textContent())
      .toBe('118/76 mmHg');
    expect(await card.getByTestId('vital-bloodPressure-live-notes').count()).toBe(0);
  });

  it('stale values: a disconnected or too old value cannot be accepted by click, key or a direct call', async () => {
    const oximeter = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:12:02' });
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:12:03' });
    const d = await desk(
      [
        { name: 'Desk oximeter', driver: 'ble.pulse-oximeter', sim: oximeter },
        { name: 'Desk cuff', driver: 'ble.blood-pressure', sim: cuff },
      ],
      { readingFreshSpotCheckSeconds: 5 },
    );
    const { page } = d.ws;
    const spo2 = page.getByTestId('vital-spo2');

    oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(97), pulseRate: sfloat(71) }), '2a5f');
    await expect
      .poll(() => spo2.getByTestId('vital-spo2-live').getAttribute('data-live-state'))
      .toBe('fresh');
    const oximeterReading = await liveReadingId(d, 'spo2');
    // Unplugged (out of range): at once, no Accept, and the card says what it last had and when.
    oximeter.peripheral.dropLink();
    await expect
      .poll(() => spo2.getByTestId('vital-spo2-live-status').textContent())
      .toMatch(/^Last from Desk oximeter \d+ s ago — disconnected$/);
    expect(await spo2.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await d.ws.screenshot('trusted-readings-2-disconnected');
    await page.keyboard.press('Alt+7');
    await page.keyboard.press('Alt+A');
    await expect.poll(() => page.getByTestId('accept-status').textContent()).toMatch(/disconnected\.$/);
    expect(await acceptDirectly(d, oximeterReading)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Desk oximeter is disconnected') },
    });

    // A spot-check value older than its window (5 s by this policy): refused the same way.
    for (const mmHg of CUFF_CYCLE) cuff.sendCuffPressure(mmHg);
    cuff.measureBloodPressure({ systolic: 131, diastolic: 82 });
    const bp = page.getByTestId('vital-bloodPressure');
    await expect
      .poll(() => bp.getByTestId('vital-bloodPressure-live').getAttribute('data-live-state'))
      .toBe('fresh');
    const cuffReading = await liveReadingId(d, 'bloodPressure');
    await expect
      .poll(() => bp.getByTestId('vital-bloodPressure-live-status').textContent(), { timeout: 10_000 })
      .toMatch(/^Last from Desk cuff \d+ s ago — too old to accept; take a new reading$/);
    await page.keyboard.press('Alt+6');
    await page.keyboard.press('Alt+A');
    await expect.poll(() => page.getByTestId('accept-status').textContent()).toMatch(/too old to accept/);
    expect(await acceptDirectly(d, cuffReading)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/Desk cuff is \d+ s old/) },
    });
    await expectAccessible(d);
    await d.ws.screenshot('trusted-readings-2-stale');
    expect(await observations(d, 'bloodPressure')).toEqual([]);
    expect(await observations(d, 'spo2')).toEqual([]);
  });

  it('accept means one reading, once: Alt+A on a card takes its device, without focus it asks which, twice adds nothing', async () => {
    const oximeter = createSimulatedDevice('pulse-oximeter', { address: 'c0:ff:ee:00:12:04' });
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:12:05' });
    const d = await desk([
      { name: 'Desk oximeter', driver: 'ble.pulse-oximeter', sim: oximeter },
      { name: 'Desk cuff', driver: 'ble.blood-pressure', sim: cuff },
    ]);
    const { page } = d.ws;
    // The oximeter streams about once a second, as a real one does.
    let saturation = 97;
    let streaming = true;
    const sendSaturation = (spo2: number) =>
      oximeter.sendRaw(encodePlxContinuous({ spo2: sfloat(spo2), pulseRate: sfloat(71) }), '2a5f');
    const stream = setInterval(() => {
      if (streaming) sendSaturation(saturation);
    }, 700);
    try {
      for (const mmHg of CUFF_CYCLE) cuff.sendCuffPressure(mmHg);
      cuff.measureBloodPressure({ systolic: 122, diastolic: 78, pulse: 64 });
      const bp = page.getByTestId('vital-bloodPressure');
      await expect
        .poll(() => bp.getByTestId('vital-bloodPressure-live').getAttribute('data-live-state'))
        .toBe('fresh');
      await expect
        .poll(() => page.getByTestId('vital-spo2-live').getAttribute('data-live-state'))
        .toBe('fresh');
      const cuffReading = await liveReadingId(d, 'bloodPressure');

      // No card focused, two devices with fresh values: a small chooser (device, values, age).
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Alt+A');
      const chooser = page.getByTestId('accept-chooser');
      await chooser.waitFor();
      expect(
        await chooser.getByRole('button', { name: /Desk cuff 122\/78 mmHg, 64 bpm \d+ s ago/ }).count(),
      ).toBe(1);
      expect(await chooser.getByRole('button', { name: /Desk oximeter 97 %, 71 bpm/ }).count()).toBe(1);
      await expectAccessible(d);
      await d.ws.screenshot('trusted-readings-3-chooser');
      await chooser.getByRole('button', { name: /Desk cuff/ }).click();
      await expect
        .poll(() => page.getByTestId('accept-status').textContent())
        .toBe('Accepted 122/78 mmHg, 64 bpm from Desk cuff.');
      expect(await page.getByTestId('accept-status').getAttribute('aria-live')).toBe('polite');
      expect(await observations(d, 'bloodPressure')).toHaveLength(1);

      // The same reading again, straight to main: nothing added.
      const again = await acceptDirectly(d, cuffReading);
      expect(again).toMatchObject({ ok: true, value: { alreadyAccepted: true } });
      expect(await observations(d, 'bloodPressure')).toHaveLength(1);
      // And by key on the card: there is no value left on it to accept.
      await page.keyboard.press('Alt+6');
      await page.keyboard.press('Alt+A');
      await expect
        .poll(() => page.getByTestId('accept-status').textContent())
        .toBe('This card has no device value to accept.');
      expect(await observations(d, 'bloodPressure')).toHaveLength(1);

      // Focus on the SpO₂ card: Alt+A takes that card's device, the oximeter, and nothing else. The
      // oximeter streams, so a newer value may reach main in the instant she presses. Made certain here:
      // the page is held a moment behind main (newer values wait before the screen shows them, as on a
      // busy screen) while main already has 98 %. Her first press charts the 97 % she saw, and says so.
      streaming = false;
      const mainsNewest = async () =>
        (await call<DeviceList>(d.ws.core, d.setup, 'devices.list', {})).devices.find(
          (x) => x.id === d.deviceIds['Desk oximeter'],
        )?.lastReading?.readingId;
      // A value streamed just before may still be on its way to the page: wait until the page shows
      // main's newest, so the one sent next is the only one that can change it.
      const settled = await mainsNewest();
      await expect.poll(() => liveReadingId(d, 'spo2')).toBe(settled);
      const shownBefore = await liveReadingId(d, 'spo2');
      sendSaturation(97);
      await expect.poll(() => liveReadingId(d, 'spo2')).not.toBe(shownBefore);
      const seenId = await liveReadingId(d, 'spo2');
      await page.evaluate(() => {
        const w = globalThis as unknown as HeldBridge;
        const deliver = w.__vitalsDeliver;
        const held: [string, unknown][] = [];
        w.__vitalsDeliver = (name, payload) => {
          if (name === 'devices.reading') held.push([name, payload]);
          else deliver(name, payload);
        };
        w.__releaseHeld = () => {
          w.__vitalsDeliver = deliver;
          for (const [name, payload] of held) deliver(name, payload);
        };
      });
      sendSaturation(98);
      await expect.poll(mainsNewest).not.toBe(seenId);
      expect(await liveReadingId(d, 'spo2')).toBe(seenId);
      expect(await page.getByTestId('vital-spo2-live-value').textContent()).toBe('97 %');
      await page.keyboard.press('Alt+7');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('vital-spo2-input');
      await expectFocusSeen(d, 'after Alt+7');
      const cardsBefore = await cardsOnPage(d);
      await page.keyboard.press('Alt+A');
      await expect
        .poll(() => page.getByTestId('accept-status').textContent())
        .toBe(
          'Accepted 97 %, 71 bpm from Desk oximeter, the value you saw; the newer 98 %, 71 bpm that came as you pressed was not charted.',
        );
      // The two-line message above the cards does not push them down (its room was kept), and her
      // focused field stays wholly in the 1366×768 window, below the banner and the visit strip.
      expect(await cardsOnPage(d), 'the cards where they were on the page').toBeCloseTo(cardsBefore, 0);
      expect((await expectFocusSeen(d, 'after Alt+A')).id).toBe('vital-spo2-input');
      await d.ws.screenshot('trusted-readings-4-focus-kept', { window: true });
      // The window snapped narrower (1024×768, the message now three lines) and back: her field follows.
      await page.setViewportSize({ width: 1024, height: 768 });
      await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(1024);
      expect((await expectFocusSeen(d, 'in a 1024×768 window')).id).toBe('vital-spo2-input');
      await page.setViewportSize({ width: 1366, height: 768 });
      await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(1366);
      expect((await expectFocusSeen(d, 'back at 1366×768')).id).toBe('vital-spo2-input');
      // The card shows what was charted: 97 %, from the device.
      await expect.poll(() => page.getByTestId('vital-spo2-value').textContent()).toBe('97 % on air');
      expect(await page.getByTestId('vital-spo2').textContent()).toMatch(/device/);
      await page.evaluate(() => (globalThis as unknown as HeldBridge).__releaseHeld?.());
      await expect.poll(() => page.getByTestId('vital-spo2-live-value').textContent()).toBe('98 %');
      // The newer value and its hint arrive above her too: the cards stay put, her field is still seen.
      expect(await cardsOnPage(d), 'the cards where they were on the page').toBeCloseTo(cardsBefore, 0);
      expect((await expectFocusSeen(d, 'after the newer value arrived')).id).toBe('vital-spo2-input');
      await d.ws.screenshot('trusted-readings-4-seen-value-charted', { window: true });
      expect((await observations(d, 'spo2')).map((o) => o.value)).toEqual([97]);
      streaming = true;
      expect(await observations(d, 'spo2')).toHaveLength(1);
      expect(await observations(d, 'bloodPressure')).toHaveLength(1);

      // A rare value from the device asks the same second confirmation as a typed one; reading the
      // question may take longer than the oximeter's 5 s window, and the answer still files that reading.
      saturation = 78;
      await expect.poll(() => page.getByTestId('vital-spo2-live-value').textContent()).toBe('78 %');
      await page.keyboard.press('Alt+7');
      await page.keyboard.press('Alt+A');
      const question = page.getByTestId('reading-confirmation');
      await question.waitFor();
      await new Promise((r) => setTimeout(r, 6_000));
      await question.getByRole('button', { name: 'Accept 78 %, 71 bpm' }).click();
      await expect
        .poll(() => page.getByTestId('accept-status').textContent())
        .toBe('Accepted 78 %, 71 bpm from Desk oximeter.');
      const saturations = await observations(d, 'spo2');
      expect(saturations.map((o) => o.value)).toEqual([97, 78]);

      // She turns the wheel down to the last cards, her focus still in the SpO₂ field, now out of sight.
      // The card above changes as the oximeter goes: the page stays where she put it.
      await page.keyboard.press('Alt+7');
      await page.mouse.move(683, 500);
      await page.mouse.wheel(0, 2000);
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
      await expect
        .poll(async () => (await focusedBox(d)).bottom)
        .toBeLessThan((await focusedBox(d)).stripBottom);
      const glucoseTop = () =>
        page.evaluate(
          () => document.querySelector('[data-testid="vital-glucose"]')!.getBoundingClientRect().top,
        );
      const where = await glucoseTop();
      const spo2Height = () =>
        page.evaluate(
          () => document.querySelector('[data-testid="vital-spo2"]')!.getBoundingClientRect().height,
        );
      const heightBefore = await spo2Height();
      // The oximeter slips off the finger and out of range: its card says so (and grows to say it).
      streaming = false;
      oximeter.peripheral.dropLink();
      await expect
        .poll(() => page.getByTestId('vital-spo2-live-status').textContent())
        .toMatch(/disconnected$/);
      expect(await spo2Height()).not.toBe(heightBefore);
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      expect(await glucoseTop(), 'the cards she scrolled to, where they were').toBeCloseTo(where, 0);
      const away = await focusedBox(d);
      expect(away.bottom, 'not pulled back to the SpO₂ field').toBeLessThan(away.stripBottom);
    } finally {
      clearInterval(stream);
    }
  });

  it('shared cuffs and scales: a reading for a user not matched to this patient is held until the nurse files or discards it, and the decision is audited', async () => {
    const cuff = createSimulatedDevice('blood-pressure', { address: 'c0:ff:ee:00:12:06' });
    const scale = createSimulatedDevice('weight-scale', { address: 'c0:ff:ee:00:12:07' });
    const d = await desk([
      { name: 'Desk cuff', driver: 'ble.blood-pressure', sim: cuff },
      { name: 'Desk scale', driver: 'ble.weight-scale', sim: scale },
    ]);
    const { page } = d.ws;
    const bp = page.getByTestId('vital-bloodPressure');
    const measure = async (systolic: number, userId: number) => {
      for (const mmHg of CUFF_CYCLE) cuff.sendCuffPressure(mmHg);
      cuff.measureBloodPressure({ systolic, diastolic: 80, userId });
      await expect
        .poll(() => bp.getByTestId('vital-bloodPressure-live-value').textContent())
        .toBe(`${systolic}/80 mmHg`);
    };

    await measure(126, 2);
    expect(await bp.getByTestId('vital-bloodPressure-live-status').textContent()).toBe(
      'Reading from user 2 of Desk cuff — whose is it?',
    );
    expect(await bp.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await expectAccessible(d);
    await d.ws.screenshot('trusted-readings-4-held-user');
    // Neither the key nor a direct call files it.
    await page.keyboard.press('Alt+6');
    await page.keyboard.press('Alt+A');
    await expect.poll(() => page.getByTestId('accept-status').textContent()).toMatch(/whose is it\?\.$/);
    expect(await acceptDirectly(d, await liveReadingId(d, 'bloodPressure'))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Reading from user 2 of Desk cuff — whose is it?' },
    });
    expect(await observations(d, 'bloodPressure')).toEqual([]);

    // The nurse files it to this patient: user 2 is now this patient for this visit.
    await bp.getByRole('button', { name: 'File to HADDAD, Samir' }).click();
    await expect
      .poll(() => page.getByTestId('accept-status').textContent())
      .toBe('Accepted 126/80 mmHg from Desk cuff.');
    await measure(124, 2);
    expect(await bp.getByTestId('vital-bloodPressure-live').getAttribute('data-live-state')).toBe('fresh');
    await bp.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => (await observations(d, 'bloodPressure')).length).toBe(2);

    // Someone else's reading on the same cuff: discarded, nothing filed.
    await measure(150, 3);
    await bp.getByRole('button', { name: 'Discard' }).click();
    await expect
      .poll(() => page.getByTestId('accept-status').textContent())
      .toBe('Discarded the reading from user 3 of Desk cuff; nothing was filed.');
    expect(await observations(d, 'bloodPressure')).toHaveLength(2);

    // A shared scale the same way (Weight Measurement flags bit 2): user 5 is not this patient.
    scale.measureWeight({ kg: 72.5, userId: 5 });
    const weight = page.getByTestId('vital-bodyWeight');
    await expect
      .poll(() => weight.getByTestId('vital-bodyWeight-live-status').textContent())
      .toBe('Reading from user 5 of Desk scale — whose is it?');
    expect(await weight.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await weight.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => weight.getByTestId('vital-bodyWeight-live').count()).toBe(0);

    // User 0xFF (unknown user) behaves as a cuff without users.
    await measure(120, 0xff);
    expect(await bp.getByTestId('vital-bloodPressure-live').getAttribute('data-live-state')).toBe('fresh');

    // Each decision is in the audit trail, with the patient and the nurse, never the value.
    const decisions = d.ws.core
      .db!.prepare(
        "SELECT action, patient_id AS patientId, outcome FROM audit_log WHERE action IN ('devices.fileHeldReading', 'devices.discardHeldReading') ORDER BY seq",
      )
      .all();
    expect(decisions).toEqual([
      { action: 'devices.fileHeldReading', patientId: d.patient.id, outcome: 'success' },
      { action: 'devices.discardHeldReading', patientId: d.patient.id, outcome: 'success' },
      { action: 'devices.discardHeldReading', patientId: d.patient.id, outcome: 'success' },
    ]);
  });
});
