/**
 * The clinician's review screen end to end: vitals recorded through the real core over three visits
 * (device and typed-in values, one correction), then the built renderer in Chromium, signed in as a
 * clinician, opens the visit in progress: latest values with flags, NEWS2 and its band, a trend chart
 * per vital drawn with points, the amendment history, the "Reviewed" sign-off, and the printed summary
 * (print media screenshot and a PDF).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { memoryKeyProvider } from '../../main/db/keys';
import type { SyncConfig } from '../../main/sync/service';
import type { Encounter, Observation, Patient } from '../../shared/records';
import { encodeNonin2Packet } from '../../main/devices/serial/drivers/nonin-2';
import { createPtyPair, type PtyPair } from '../sim/serial/pty';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { seedDeviceValue } from '../support/device-values';
import { signInAs } from '../support/session';
import { RESULTS_DIR, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, pixelsOf, poll } from './review-steps';

// The Chromium host names each page's window by the order pages first call main; each test opens one.
const FIRST_PAGE_SENDER = 'chromium-page-1';

const OXIMETER = {
  deviceId: 'ble:00:1b:dc:07:31:aa',
  transport: 'ble',
  driver: 'ble.pulse-oximeter',
  manufacturer: 'Nonin',
  model: '3230',
} as const;

let ws: Workstation | undefined;
let pty: PtyPair | undefined;
let ptyDir: string | undefined;
let otherCore: Core | undefined;
let otherDir: string | undefined;
let fhir: FhirTestServer | undefined;
afterEach(async () => {
  await otherCore?.close();
  otherCore = undefined;
  if (otherDir) rmSync(otherDir, { recursive: true, force: true });
  otherDir = undefined;
  await fhir?.close();
  fhir = undefined;
  await ws?.close();
  ws = undefined;
  await pty?.close();
  pty = undefined;
  if (ptyDir) rmSync(ptyDir, { recursive: true, force: true });
  ptyDir = undefined;
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000 - 10 * 60_000).toISOString();

/** One visit's vitals as the intake desk records them: oximeter values from the device, the rest typed. */
async function recordVisit(
  core: Core,
  patient: Patient,
  at: string,
  v: {
    hr: number;
    sys: number;
    dia: number;
    spo2: number;
    temp: number;
    rr: number;
    kg: number;
    glucose: number;
  },
  finish: boolean,
): Promise<{ visit: Encounter; heartRate: Observation }> {
  const visit = await call<Encounter>(core, 'encounters.start', {
    patientId: patient.id,
    reason: 'Follow-up',
  });
  const base = { patientId: patient.id, encounterId: visit.id, effectiveAt: at };
  const manual = { ...base, method: 'manual' };
  // The oximeter's values as accepted from it (main files device values only by accepting them).
  const device = { ...base, device: OXIMETER };
  const heartRate = await seedDeviceValue(core, NURSE_WINDOW, { ...device, kind: 'heartRate', value: v.hr });
  await seedDeviceValue(core, NURSE_WINDOW, { ...device, kind: 'spo2', value: v.spo2 });
  await call(core, 'observations.record', {
    ...manual,
    kind: 'bloodPressure',
    components: [
      { kind: 'systolic', value: v.sys },
      { kind: 'diastolic', value: v.dia },
    ],
  });
  await call(core, 'observations.record', {
    ...manual,
    kind: 'bodyTemperature',
    value: v.temp,
    bodySite: 'oral',
  });
  await call(core, 'observations.record', { ...manual, kind: 'respiratoryRate', value: v.rr });
  await call(core, 'observations.record', { ...manual, kind: 'bodyWeight', value: v.kg });
  await call(core, 'observations.record', { ...manual, kind: 'glucose', value: v.glucose });
  await call(core, 'observations.record', { ...manual, kind: 'consciousness', valueCode: 'A' });
  if (finish) await call(core, 'encounters.finish', { encounterId: visit.id });
  return { visit, heartRate };
}

const DEVICE_BLUE: [number, number, number] = [0x0b, 0x5c, 0xad];
const MANUAL_BROWN: [number, number, number] = [0x8a, 0x53, 0x00];

describe('Clinician review screen', () => {
  it('shows the visit in context, charts each vital across visits, signs off and prints the summary', async () => {
    // The harness signs the page in as a new clinician through the sign-in screens.
    ws = await startWorkstation({ route: 'review', viewport: { width: 1440, height: 900 } });
    const { core, page } = ws;
    const clinician = ws.account!;
    expect(clinician.role).toBe('clinician');
    await signInAs(core, 'nurse', NURSE_WINDOW);

    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'RV-2201',
      family: 'Haddad',
      given: 'Samir',
      birthDate: '1957-08-30',
      sex: 'male',
    });
    await recordVisit(
      core,
      patient,
      daysAgo(60),
      { hr: 72, sys: 124, dia: 80, spo2: 98, temp: 36.8, rr: 14, kg: 81.2, glucose: 104 },
      true,
    );
    await recordVisit(
      core,
      patient,
      daysAgo(30),
      { hr: 84, sys: 132, dia: 84, spo2: 97, temp: 37.1, rr: 16, kg: 82.0, glucose: 118 },
      true,
    );
    // Today: RR 22 → 2, SpO2 95 → 1, air → 0, systolic 118 → 0, pulse 94 → 1, alert → 0, 38.4 °C → 1: NEWS2 5, medium.
    const today = await recordVisit(
      core,
      patient,
      daysAgo(0),
      { hr: 112, sys: 118, dia: 76, spo2: 95, temp: 38.4, rr: 22, kg: 82.6, glucose: 131 },
      false,
    );
    // The device's pulse is corrected by the nurse: the review shows the correction and its reason.
    await call(core, 'observations.amend', {
      observationId: today.heartRate.id,
      value: { value: 94 },
      reason: 'Probe displaced; counted manually',
    });

    await page.reload();
    const visitRow = page.getByTestId('visits-in-progress').getByRole('button', { name: /HADDAD, Samir/ });
    await visitRow.waitFor();
    await visitRow.click();
    await page.getByTestId('review-screen').waitFor();
    expect(await page.getByTestId('patient-banner').textContent()).toContain('MRN RV-2201');
    expect(await page.getByTestId('review-visit').textContent()).toMatch(
      /^Visit since \d\d:\d\d.* · Follow-up$/,
    );

    // Latest values with their flags.
    const value = (kind: string) => page.getByTestId(`latest-${kind}-value`);
    await poll(() => value('heartRate').textContent()).toBe('94 bpm (corrected)');
    expect(await value('respiratoryRate').textContent()).toBe('22 breaths/min');
    expect(await page.getByTestId('latest-respiratoryRate-flag').textContent()).toBe('Abnormal (NEWS2 2)');
    expect(await value('spo2').textContent()).toBe('95 % on air');
    expect(await page.getByTestId('latest-spo2-flag').textContent()).toBe('Outside normal (NEWS2 1)');
    expect(await value('bodyTemperature').textContent()).toBe('38.4 °C (oral)');
    expect(await value('bloodPressure').textContent()).toMatch(/^118\/76 mmHg/);
    expect(await page.getByTestId('latest-bloodPressure-flag').count()).toBe(0);
    expect(await value('glucose').textContent()).toBe('131 mg/dL');
    // NEWS2 with its band.
    expect(await page.getByTestId('news2-aggregate').textContent()).toBe('5');
    expect(await page.getByTestId('news2').textContent()).toContain('Medium risk');

    // A chart per vital, each with all three visits, drawn on its canvas.
    for (const id of [
      'heartRate',
      'bloodPressure',
      'spo2',
      'bodyTemperature',
      'respiratoryRate',
      'bodyWeight',
      'glucose',
    ]) {
      const cell = page.getByTestId(`trend-${id}`);
      await poll(() => cell.getAttribute('data-points')).toBe('3');
      expect(await cell.locator('canvas').count()).toBeGreaterThan(0);
      expect(await cell.getByRole('img').getAttribute('aria-label')).toMatch(/trend, 3 values from /);
    }
    expect(await page.getByTestId('trend-heartRate').textContent()).toContain('(bpm)');
    // Oximeter values are device points (filled blue), typed-in values manual ones (brown rings); the
    // nurse's correction of today's pulse is typed in, so the pulse chart has both.
    await poll(() => pixelsOf(ws!.page, 'trend-spo2', DEVICE_BLUE)).toBeGreaterThan(50);
    expect(await pixelsOf(ws.page, 'trend-spo2', MANUAL_BROWN)).toBe(0);
    expect(await pixelsOf(ws.page, 'trend-bodyWeight', MANUAL_BROWN)).toBeGreaterThan(50);
    expect(await pixelsOf(ws.page, 'trend-bodyWeight', DEVICE_BLUE)).toBe(0);
    expect(await pixelsOf(ws.page, 'trend-heartRate', DEVICE_BLUE)).toBeGreaterThan(50);
    expect(await pixelsOf(ws.page, 'trend-heartRate', MANUAL_BROWN)).toBeGreaterThan(10);

    // The history of the corrected value: the device's original and the correction with its reason.
    await page.getByRole('button', { name: 'History of Heart rate' }).click();
    const history = page.getByTestId('amendment-history');
    await poll(() => history.locator('li').count()).toBe(2);
    expect(await history.locator('li').nth(0).textContent()).toMatch(/^Recorded 112 bpm/);
    expect(await history.locator('li').nth(1).textContent()).toMatch(
      /^Corrected 94 bpm .*Probe displaced; counted manually/,
    );

    // Sign-off with a comment: kept with who and when.
    await page.getByLabel('Review note (optional)').fill('Febrile, RR up: seen on video, plan agreed.');
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    const entry = page.getByTestId('review-entry');
    await entry.waitFor();
    expect(await entry.textContent()).toMatch(
      new RegExp(
        `^Reviewed by ${clinician.displayName} \\(clinician\\).*“Febrile, RR up: seen on video, plan agreed\\.”`,
      ),
    );
    const stored = await call<{ signedByName: string; signedByRole: string; comment: string }[]>(
      core,
      'reviews.list',
      { encounterId: today.visit.id },
      FIRST_PAGE_SENDER,
    );
    expect(stored.map((r) => [r.signedByName, r.signedByRole, r.comment])).toEqual([
      [clinician.displayName, 'clinician', 'Febrile, RR up: seen on video, plan agreed.'],
    ]);
    await page.getByRole('button', { name: 'Hide history of Heart rate' }).click();
    await ws.screenshot('review-screen');

    // The printed summary: controls gone, the vitals table and the trend charts still there.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print / save as PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Mark as reviewed' }).isVisible()).toBe(false);
    expect(await page.getByTestId('latest-vitals').isVisible()).toBe(true);
    expect(await page.getByTestId('trend-glucose').locator('canvas').first().isVisible()).toBe(true);
    expect(await page.getByTestId('review-entry').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'visit-summary-print.png'), fullPage: true });
    const pdfFile = path.join(RESULTS_DIR, 'visit-summary.pdf');
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    const pdf = readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Vitals table and eight charts do not fit on one A4 page.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThanOrEqual(2);

    // Back to the list of visits: this one now says it was reviewed.
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: /Change patient/ }).click();
    await poll(() =>
      page
        .getByTestId('visits-in-progress')
        .getByRole('button', { name: /HADDAD, Samir/ })
        .textContent(),
    ).toMatch(/Reviewed \d/);
  });

  it('keeps the review from a nurse: no Review in her menu, and main refuses a sign-off sent from her page', async () => {
    ws = await startWorkstation({ route: 'review', signIn: 'nurse' });
    const { core, page } = ws;
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /Intake/ }).waitFor();
    expect(await nav.getByRole('link', { name: /Review/ }).count()).toBe(0);
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'RV-2202',
      family: 'Berg',
      given: 'Lene',
      birthDate: '1980-05-05',
      sex: 'female',
    });
    const visit = await call<Encounter>(core, 'encounters.start', { patientId: patient.id });
    // Through the page's own bridge, as a tampered renderer would try it.
    const answer = await page.evaluate(
      (encounterId) =>
        (window as unknown as { vitals: { invoke(c: string, r: unknown): Promise<unknown> } }).vitals.invoke(
          'reviews.signOff',
          { encounterId, comment: 'looks fine' },
        ),
      visit.id,
    );
    expect(answer).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your role does not allow this.' },
    });
    expect(core.db!.prepare('SELECT count(*) FROM reviews').pluck().get()).toBe(0);
  });

  it('follows the visit live: a value saved at intake and a streaming oximeter with its pleth', async () => {
    ws = await startWorkstation({ route: 'review', viewport: { width: 1440, height: 900 } });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'RV-3301',
      family: 'Novak',
      given: 'Irena',
      birthDate: '1970-02-14',
      sex: 'female',
    });
    const visit = await call<Encounter>(core, 'encounters.start', { patientId: patient.id });
    const manual = { patientId: patient.id, encounterId: visit.id, method: 'manual' };
    await call(core, 'observations.record', {
      ...manual,
      kind: 'respiratoryRate',
      value: 16,
      effectiveAt: daysAgo(14),
    });

    // The visit started after the list was shown: Refresh brings it in.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /NOVAK, Irena/ })
      .click();
    await page.getByTestId('review-screen').waitFor();
    const rr = page.getByTestId('trend-respiratoryRate');
    await poll(() => rr.getAttribute('data-points')).toBe('1');
    expect(await page.getByTestId('review-live').textContent()).toContain('No device is sending values');

    // The nurse saves a value at intake: the review shows it without a reload, in the table and the chart.
    await call(core, 'observations.record', {
      ...manual,
      kind: 'respiratoryRate',
      value: 26,
      effectiveAt: daysAgo(0),
    });
    await poll(() => page.getByTestId('latest-respiratoryRate-value').textContent()).toBe('26 breaths/min');
    expect(await page.getByTestId('latest-respiratoryRate-flag').textContent()).toBe(
      'Very abnormal (NEWS2 3)',
    );
    await poll(() => rr.getAttribute('data-points')).toBe('2');

    // A Nonin oximeter (serial format #2, 75 Hz pleth) streams at this workstation through a socat pty.
    ptyDir = mkdtempSync(path.join(os.tmpdir(), 'vd-review-pty-'));
    pty = await createPtyPair(ptyDir, 'oximeter');
    const paired = await call<{ id: string }>(core, 'devices.pair', {
      name: 'Desk oximeter',
      transport: 'serial',
      driver: 'serial.nonin-2',
      address: pty.portPath,
    });
    await call(core, 'devices.connect', { id: paired.id });
    const oximeter = pty;
    let packet = 0;
    const streaming = setInterval(() => {
      const pleth = Array.from({ length: 25 }, (_, i) =>
        Math.round(128 + 90 * Math.sin(((packet * 25 + i) / 75) * 2 * Math.PI * 1.2)),
      );
      packet += 1;
      oximeter.write(encodeNonin2Packet({ heartRate: 71, spo2: 96, pleth }));
    }, 1000 / 3);
    try {
      const live = page.getByTestId('live-reading');
      await live.waitFor();
      expect(await live.textContent()).toMatch(
        /^Desk oximeter · .* · not yet saved.*Heart rate 71 bpm · Oxygen saturation 96 %/,
      );
      const trace = page.getByRole('img', { name: 'Pleth waveform from Desk oximeter' });
      await trace.waitFor();
      await poll(() =>
        trace.evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let drawn = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
          return drawn;
        }),
      ).toBeGreaterThan(200);
      await ws.screenshot('review-live');
    } finally {
      clearInterval(streaming);
    }
    // Nothing a device sends is saved by being shown: only the two typed-in values are stored.
    expect(
      core.db!.prepare('SELECT count(*) FROM observations WHERE patient_id = ?').pluck().get(patient.id),
    ).toBe(2);
  });

  it('includes values recorded at another workstation, pulled from the FHIR server and marked as such', async () => {
    fhir = await startFhirServer();
    const sync = (): SyncConfig => ({
      baseUrl: fhir!.baseUrl,
      auth: { kind: 'none' },
      // The test server (Medplum) takes at most 8 entries in a transaction that needs serializable isolation.
      maxTransactionEntries: 8,
      autoStart: false,
    });

    // Workstation A, another room of the clinic: its own encrypted database; sends what it records.
    otherDir = mkdtempSync(path.join(os.tmpdir(), 'vd-review-other-'));
    otherCore = await createCore({
      dataDir: otherDir,
      appVersion: '0.0.0-e2e',
      host: 'chromium',
      heartbeatMs: 0,
      idleSweepMs: 0,
      dbKeyProvider: memoryKeyProvider(),
      workstationName: 'Room 4',
      fhir: sync(),
    });
    const nurseA = await signInAs(otherCore, 'nurse', 'room-4-nurse');
    const person = {
      mrn: 'RV-4401',
      family: 'Lindgren',
      given: 'Maja',
      birthDate: '1948-12-01',
      sex: 'female',
    };
    const atA = await call<Patient>(otherCore, 'patients.register', person, nurseA.senderId);
    const visitA = await call<Encounter>(
      otherCore,
      'encounters.start',
      { patientId: atA.id },
      nurseA.senderId,
    );
    const earlier = { patientId: atA.id, encounterId: visitA.id, effectiveAt: daysAgo(7), method: 'manual' };
    await call(
      otherCore,
      'observations.record',
      { ...earlier, kind: 'heartRate', value: 104 },
      nurseA.senderId,
    );
    await call(
      otherCore,
      'observations.record',
      {
        ...earlier,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 156 },
          { kind: 'diastolic', value: 97 },
        ],
      },
      nurseA.senderId,
    );
    await call(otherCore, 'encounters.finish', { encounterId: visitA.id }, nurseA.senderId);
    expect(await call(otherCore, 'sync.now', {}, nurseA.senderId)).toEqual({
      sent: 2,
      rejected: 0,
      ok: true,
    });

    // Workstation B, this one: the same patient registered here, today's values recorded here.
    ws = await startWorkstation({
      route: 'review',
      viewport: { width: 1440, height: 900 },
      core: { fhir: sync() },
    });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const atB = await call<Patient>(core, 'patients.register', person);
    const visitB = await call<Encounter>(core, 'encounters.start', { patientId: atB.id });
    const today = { patientId: atB.id, encounterId: visitB.id, effectiveAt: daysAgo(0), method: 'manual' };
    await call(core, 'observations.record', { ...today, kind: 'heartRate', value: 82 });
    await call(core, 'observations.record', {
      ...today,
      kind: 'bloodPressure',
      components: [
        { kind: 'systolic', value: 138 },
        { kind: 'diastolic', value: 86 },
      ],
    });
    // B sends its own too: on the server they are B's, and are not counted twice when B pulls.
    expect(await call(core, 'sync.now', {})).toEqual({ sent: 2, rejected: 0, ok: true });

    await page.reload();
    await page
      .getByTestId('visits-in-progress')
      .getByRole('button', { name: /LINDGREN, Maja/ })
      .click();
    const pulse = page.getByTestId('trend-heartRate');
    await poll(() => pulse.getAttribute('data-points')).toBe('1');
    await page.getByRole('button', { name: 'Include values from other workstations' }).click();
    await poll(() => pulse.getAttribute('data-points')).toBe('2');
    expect(await pulse.getAttribute('data-remote-points')).toBe('1');
    // Blood pressure from the other workstation: one systolic–diastolic bar.
    expect(await page.getByTestId('trend-bloodPressure').getAttribute('data-remote-points')).toBe('1');
    expect(await page.getByTestId('trend-bloodPressure').getAttribute('data-points')).toBe('2');
    expect(await page.getByTestId('remote-status').textContent()).toBe(
      'Including 2 values from other workstations (square markers).',
    );
    // Drawn as purple squares, beside this workstation's own typed-in ring.
    await poll(() => pixelsOf(ws!.page, 'trend-heartRate', [0x6b, 0x2c, 0x91])).toBeGreaterThan(40);
    expect(await pixelsOf(ws.page, 'trend-heartRate', MANUAL_BROWN)).toBeGreaterThan(10);
    await ws.screenshot('review-other-workstations');
    // Shown, not copied: B's database holds only what B recorded.
    expect(core.db!.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(2);
  });
});
