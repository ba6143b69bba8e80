/**
 * The review screen as the clinician of a hypertension follow-up uses it beside the video call, at
 * 1366×768: guideline flags beside NEWS2 with the rule that fired, trends on a real time axis as wide
 * as their panel (BP as bars, a value entered in error only with "Show all"), the change since the last
 * visit, a bar that stays in view with "Mark as reviewed" (a note required on a red flag) and "Print /
 * save as PDF", the visit's video link, and the PDF the app makes (read back with pdftotext, page 1
 * rendered with pdftoppm).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { parsePolicy } from '../../main/policy/load';
import type { Encounter, Observation, Patient } from '../../shared/records';
import { seedDeviceValue } from '../support/device-values';
import { signInAs } from '../support/session';
import { RESULTS_DIR, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, pixelsOf, poll } from './review-steps';

const CUFF = {
  deviceId: 'ble:00:5f:bf:10:22:31',
  transport: 'ble',
  driver: 'ble.blood-pressure',
  manufacturer: 'Omron',
  model: 'BP7450',
  serial: 'OM-7750-118',
} as const;
const METER = {
  deviceId: 'ble:c4:7c:8d:66:01:02',
  transport: 'ble',
  driver: 'ble.glucose',
  manufacturer: 'Roche',
  model: 'Accu-Chek Guide',
} as const;

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const DAY = 86_400_000;
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayMonth = (iso: string) => `${new Date(iso).getDate()} ${MONTHS[new Date(iso).getMonth()]}`;

/** Two earlier visits and today's, as the intake desk records them: the cuff and meter by device, the rest typed. */
async function hypertensionFollowUp(core: Core, joinUrl: string) {
  await signInAs(core, 'nurse', NURSE_WINDOW);
  const patient = await call<Patient>(core, 'patients.register', {
    mrn: 'HT-4410',
    family: 'Mensah',
    given: 'Kwame',
    birthDate: '1958-02-11',
    sex: 'male',
  });
  const visit = async (
    msAgo: number,
    v: { sys: number; dia: number; kg: number },
    finish: boolean,
    url?: string,
  ) => {
    const encounter = await call<Encounter>(core, 'encounters.start', {
      patientId: patient.id,
      reason: 'Hypertension follow-up',
      ...(url ? { joinUrl: url } : {}),
    });
    const base = { patientId: patient.id, encounterId: encounter.id, effectiveAt: at(msAgo) };
    // The cuff's reading as accepted from it (main files device values only by accepting them).
    await seedDeviceValue(core, NURSE_WINDOW, {
      ...base,
      device: CUFF,
      kind: 'bloodPressure',
      components: [
        { kind: 'systolic', value: v.sys },
        { kind: 'diastolic', value: v.dia },
      ],
    });
    await call(core, 'observations.record', { ...base, method: 'manual', kind: 'bodyWeight', value: v.kg });
    if (finish) await call(core, 'encounters.finish', { encounterId: encounter.id });
    return { encounter, base };
  };
  await visit(75 * DAY, { sys: 150, dia: 92, kg: 97.0 }, true);
  const last = await visit(30 * DAY, { sys: 156, dia: 94, kg: 96.4 }, true);
  const today = await visit(40 * 60_000, { sys: 168, dia: 98, kg: 95.8 }, false, joinUrl);
  const manual = { ...today.base, method: 'manual' };
  await call(core, 'observations.record', { ...manual, kind: 'heartRate', value: 78 });
  await call(core, 'observations.record', { ...manual, kind: 'respiratoryRate', value: 16 });
  await call(core, 'observations.record', { ...manual, kind: 'spo2', value: 97 });
  await call(core, 'observations.record', {
    ...manual,
    kind: 'bodyTemperature',
    value: 36.9,
    bodySite: 'oral',
  });
  await call(core, 'observations.record', { ...manual, kind: 'consciousness', valueCode: 'A' });
  await call(core, 'observations.record', { ...manual, kind: 'bodyHeight', value: 176 });
  await seedDeviceValue(core, NURSE_WINDOW, {
    ...today.base,
    device: METER,
    kind: 'glucose',
    value: 131,
    deviceNotes: ['Meal: Fasting'],
  });
  // A respiratory rate typed against the wrong patient, withdrawn: hidden unless "Show all".
  const wrong = await call<Observation>(core, 'observations.record', {
    ...manual,
    effectiveAt: at(20 * 60_000),
    kind: 'respiratoryRate',
    value: 28,
  });
  await call(core, 'observations.enterInError', {
    observationId: wrong.id,
    reason: 'Typed for the wrong patient',
  });
  return { patient, today: today.encounter, last: last.encounter };
}

async function openVisit(page: Workstation['page'], name: RegExp) {
  const row = page.getByTestId('visits-in-progress').getByRole('button', { name });
  await row.waitFor();
  await row.click();
  await page.getByTestId('review-screen').waitFor();
}

describe('Review screen a doctor keeps open beside the video call', () => {
  it('flags 168/98 by ACC/AHA 2017, charts a real time axis, stays usable at 1366×768, and prints the summary as a PDF', async () => {
    ws = await startWorkstation({ route: 'review' });
    const { core, page } = ws;
    const clinician = ws.account!;
    const { today } = await hypertensionFollowUp(core, 'https://meet.clinic.example/v/HT-4410?pwd=s3');
    await page.reload();
    await openVisit(page, /MENSAH, Kwame/);

    // 1. Guideline flags beside NEWS2, each naming its guideline and the rule that fired.
    const flag = (subject: string) => page.getByTestId(`gflag-${subject}`);
    await poll(() => flag('bloodPressure').textContent()).toContain('Stage 2 hypertension');
    expect(await flag('bloodPressure').textContent()).toContain(
      'ACC/AHA 2017 · systolic 140 or more and diastolic 90 or more',
    );
    expect(await flag('glucose').textContent()).toContain('Fasting: diabetes range');
    expect(await flag('glucose').textContent()).toContain(
      'ADA Standards of Care · fasting 126 mg/dL or more',
    );
    expect(await flag('bmi').textContent()).toContain('Obesity class I'); // 95.8 kg, 176 cm: 30.9
    expect(await flag('temperature').textContent()).toContain('No fever');
    expect(await flag('spo2').textContent()).toContain('SpO₂ 92 % or more on air');
    expect(await page.getByTestId('latest-bloodPressure-guideline').textContent()).toBe(
      'Stage 2 hypertension (ACC/AHA 2017)',
    );
    // NEWS2 does not score a systolic of 168: the guideline flag is what tells the doctor.
    expect(await page.getByTestId('news2-aggregate').textContent()).toBe('0');
    await ws.screenshot('review-doctor-open');
    // 3. Change since the last visit beside the latest value.
    expect(await page.getByTestId('latest-bloodPressure-change').textContent()).toBe(
      `↑ 12/↑ 4 mmHg since ${dayMonth(at(30 * DAY))}`,
    );
    expect(await page.getByTestId('latest-bodyWeight-change').textContent()).toBe(
      `↓ 0.6 kg since ${dayMonth(at(30 * DAY))}`,
    );
    // Source and who recorded it: the cuff's make, model and serial.
    expect(await page.getByTestId('latest-bloodPressure').textContent()).toContain(
      'Omron BP7450 (SN OM-7750-118)',
    );

    // 7. Fits 1366×768: no horizontal scrolling, short times with the full time on hover and focus.
    const overflow = await page.evaluate(() => {
      const wide = (el: Element | null) => (el ? el.scrollWidth - el.clientWidth : -1);
      const right = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().right;
      return {
        review: wide(document.querySelector('[data-testid="review-screen"]')),
        table: wide(document.querySelector('.review-latest')),
        tableInPanel: right('[data-testid="latest-vitals"]') <= right('.review-latest'),
        news2: wide(document.querySelector('[data-testid="news2"]')),
        news2InView: right('[data-testid="news2"]') <= window.innerWidth,
      };
    });
    expect(overflow).toEqual({ review: 0, table: 0, tableInPanel: true, news2: 0, news2InView: true });
    const measured = page.getByTestId('latest-bloodPressure').locator('time');
    expect(await measured.textContent()).toMatch(/^\d\d:\d\d/);
    const full = measured.locator('.full-time');
    expect(await full.isVisible()).toBe(false);
    await measured.focus();
    expect(await full.isVisible()).toBe(true);
    expect(await full.textContent()).toMatch(/\d{4}/);

    // 2. Trends: as wide as the panel, a real time axis per range, BP as bars, entered-in-error on request.
    const trends = page.locator('.review-trends');
    const bp = page.getByTestId('trend-bloodPressure');
    await poll(() => bp.getAttribute('data-points')).toBe('3');
    const widths = await page.evaluate(() => ({
      panel: document.querySelector('.review-trends')!.clientWidth,
      canvas: document.querySelector('[data-testid="trend-bloodPressure"] canvas')!.getBoundingClientRect()
        .width,
    }));
    expect(widths.canvas).toBeGreaterThan(widths.panel * 0.9);
    const labels = async (id: string) =>
      (await page.getByTestId(`trend-${id}`).locator('.trend-plot').getAttribute('data-axis-labels'))!.split(
        '|',
      );
    // 90 days (the default): day and month ticks, all three visits shown.
    expect(await trends.getByRole('button', { name: '90 days' }).getAttribute('aria-pressed')).toBe('true');
    for (const label of await labels('bloodPressure')) expect(label).toMatch(/^\d{1,2} [A-Z][a-z]{2}$/);
    expect(await bp.locator('.trend-plot').getAttribute('data-shown')).toBe('3');
    // The cuff's readings are bars in the device blue; the typed-in weights are rings in brown.
    await poll(() => pixelsOf(page, 'trend-bloodPressure', [0x0b, 0x5c, 0xad])).toBeGreaterThan(60);
    expect(await pixelsOf(page, 'trend-bloodPressure', [0x8a, 0x53, 0x00])).toBe(0);
    expect(await pixelsOf(page, 'trend-bodyWeight', [0x8a, 0x53, 0x00])).toBeGreaterThan(20);
    // The glucose meter sent one value: its axis is still the 90 days, not years either side.
    for (const label of await labels('glucose')) expect(label).toMatch(/^\d{1,2} [A-Z][a-z]{2}$/);
    await trends.getByRole('button', { name: 'This visit' }).click();
    for (const label of await labels('respiratoryRate')) expect(label).toMatch(/^\d\d:\d\d$/);
    expect(await bp.locator('.trend-plot').getAttribute('data-shown')).toBe('1');
    await trends.getByRole('button', { name: '1 year' }).click();
    for (const label of await labels('bodyWeight')) expect(label).toMatch(/^[A-Z][a-z]{2} \d{4}$/);
    await trends.getByRole('button', { name: '7 days' }).click();
    expect(await bp.locator('.trend-plot').getAttribute('data-shown')).toBe('1');
    // Entered in error: not charted until "Show all", then struck through.
    const rr = page.getByTestId('trend-respiratoryRate');
    expect(await rr.getAttribute('data-points')).toBe('1');
    await page.getByLabel(/Show all, with 1 value entered in error/).check();
    await poll(() => rr.getAttribute('data-points')).toBe('2');
    expect(await rr.textContent()).toContain('1 entered in error (struck through)');
    await page.getByLabel(/Show all/).uncheck();
    await trends.getByRole('button', { name: '90 days' }).click();

    // 5. The video link: shown with its host and opened outside the app (a new tab in this host).
    const opened = new Promise<string>((resolve) => {
      ws!.host.browser.on('disconnected', () => resolve('closed'));
      const watch = setInterval(() => {
        for (const context of ws!.host.browser.contexts()) {
          if (context === ws!.host.context) continue;
          const tab = context.pages().find((p) => p.url().startsWith('https://'));
          if (tab) {
            clearInterval(watch);
            resolve(tab.url());
          }
        }
      }, 100);
    });
    await page.getByRole('button', { name: 'Join video · meet.clinic.example' }).click();
    expect(await opened).toBe('https://meet.clinic.example/v/HT-4410?pwd=s3');
    await poll(() => page.getByTestId('video-link-status').textContent()).toContain(
      'Opened meet.clinic.example',
    );

    // 4. The bar stays in view at the bottom of the page; a red flag makes the note required.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const bar = await page.getByTestId('review-bar').boundingBox();
    expect(bar!.y).toBeGreaterThanOrEqual(0);
    expect(bar!.y + bar!.height).toBeLessThanOrEqual(768);
    await ws.screenshot('review-doctor-scrolled');
    // What the doctor sees at 1366×768 scrolled down to the charts: the bar is still at the top.
    await page.screenshot({ path: path.join(RESULTS_DIR, 'review-doctor-viewport.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    // SpO2 89 % on air arrives: red under the BTS rule.
    await call(core, 'observations.record', {
      patientId: today.patientId,
      encounterId: today.id,
      effectiveAt: at(60_000),
      method: 'manual',
      kind: 'spo2',
      value: 89,
    });
    await poll(() => flag('spo2').getAttribute('data-level')).toBe('red');
    expect(await page.getByText('Review note (required: red flag)').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    expect(
      await page.getByRole('alert').filter({ hasText: 'A review note is required' }).textContent(),
    ).toContain('Low on room air');
    expect(await page.getByTestId('review-entry').count()).toBe(0);
    await page
      .getByLabel('Review note (required: red flag)')
      .fill('SpO2 89 % on air: sent to ED; BP plan next visit.');
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    await poll(() => page.getByTestId('review-entry').textContent()).toContain(
      `Reviewed by ${clinician.displayName} (clinician)`,
    );
    await ws.screenshot('review-doctor-1366');

    // 6. The PDF the app makes: text read back with pdftotext, page 1 drawn with pdftoppm.
    await page.getByRole('button', { name: 'Print / save as PDF' }).click();
    const status = page.getByTestId('print-status');
    await poll(() => status.textContent()).toMatch(/^Saved the summary \(\d+ pages\) to /);
    const savedTo = (await status.textContent())!.replace(/^Saved the summary \(\d+ pages\) to /, '');
    expect(path.dirname(savedTo)).toBe(path.join(ws.dataDir, 'summaries'));
    copyFileSync(savedTo, path.join(RESULTS_DIR, 'review-summary.pdf'));
    const pdf = readFileSync(savedTo);
    // Patient data outside the encrypted database: readable by this user only.
    expect(statSync(savedTo).mode & 0o777).toBe(0o600);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Reading order without layout, spaces and line breaks as one space: a table cell's words in sequence.
    const text = execFileSync('pdftotext', [savedTo, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const pages = Number(/Saved the summary \((\d+) pages\)/.exec((await status.textContent())!)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const expected of [
      'Visit summary',
      'MENSAH, Kwame',
      'MRN HT-4410',
      'Hypertension follow-up',
      'Video link: meet.clinic.example',
      '168/98 mmHg',
      'Stage 2 hypertension',
      'ACC/AHA 2017 · systolic 140 or more and diastolic 90 or more',
      'Low on room air',
      'NEWS2',
      'Trends',
      'Blood pressure (systolic–diastolic)',
      'Omron BP7450 (SN OM-7750-118)',
      'Roche Accu-Chek Guide',
      'Meal: Fasting',
      `Reviewed by ${clinician.displayName} (clinician)`,
      'SpO2 89 % on air: sent to ED',
      `Printed by ${clinician.displayName} (clinician) at`,
      `Page 1 of ${pages}`,
      `Page ${pages} of ${pages}`,
    ])
      // pdftotext joins a word broken at a hyphen at a line's end and drops that hyphen ("OM-7750118"),
      // and where a cell wraps varies between runs on a loaded machine: compared without hyphens.
      expect(text.replace(/-/g, '')).toContain(expected.replace(/-/g, ''));
    // Controls are not printed.
    expect(text).not.toContain('Mark as reviewed');
    expect(text).not.toContain('Join video');
    const png = path.join(RESULTS_DIR, 'review-summary-page1');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', savedTo, png]);
    expect(existsSync(`${png}.png`)).toBe(true);
  });

  it("classes the same 168/98 as grade 2 when the clinic follows ESC/ESH 2023, and opens a link on the policy's video hosts", async () => {
    ws = await startWorkstation({
      route: 'review',
      core: {
        policy: {
          file: 'policy.json',
          ...parsePolicy(JSON.stringify({ bpGuideline: 'esc-esh-2023', videoLinkHosts: ['clinic.example'] })),
        },
      },
    });
    const { core, page } = ws;
    await hypertensionFollowUp(core, 'https://eu.meet.clinic.example/v/1');
    await page.reload();
    await openVisit(page, /MENSAH, Kwame/);
    await poll(() => page.getByTestId('gflag-bloodPressure').textContent()).toContain('Grade 2 hypertension');
    expect(await page.getByTestId('gflag-bloodPressure').textContent()).toContain(
      'ESC/ESH 2023 · systolic 160–179',
    );
    await page.getByRole('button', { name: 'Join video · eu.meet.clinic.example' }).click();
    await poll(() => page.getByTestId('video-link-status').textContent()).toContain(
      'Opened eu.meet.clinic.example',
    );
  });
});
