/**
 * A clinic morning at one desk, the way a shift goes: one nurse sees three patients back to back at
 * 1366×768, the screen warns before it locks and then locks, a colleague switches in and out, and
 * nothing the nurse typed is lost or shown to anyone else. The real core and renderer; the core runs
 * on a clock the test moves so idle minutes pass at once. Screenshots go to test-results/.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import { parsePolicy } from '../../main/policy/load';
import { firstAdmin, signInAs, type TestAccount } from '../support/session';
import { startWorkstation, type Workstation } from './harness';
import { fillSignIn, type PageAccount, signInPage, switchUserAtLock } from './sign-in';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** No serious or critical accessibility finding on what is on screen now. */
async function expectAccessible(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

async function registerPatient(
  page: Page,
  p: { mrn: string; family: string; given: string; birthDate: string; sex: string; phone?: string },
): Promise<void> {
  await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
  await page.keyboard.press('Alt+N');
  await page.getByLabel('MRN').fill(p.mrn);
  await page.getByLabel('Family name').fill(p.family);
  await page.getByLabel('Given name').fill(p.given);
  await page.getByLabel(/^Birth date/).fill(p.birthDate);
  await page.getByLabel('Sex').selectOption(p.sex);
  if (p.phone) await page.getByLabel('Phone (optional)').fill(p.phone);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByTestId('patient-banner').waitFor();
}

async function startVisit(page: Page, link: string): Promise<void> {
  if (link) await page.getByLabel('Visit id or join link').fill(link);
  await page.getByLabel('Reason for visit').fill('Morning check');
  await page.getByRole('button', { name: 'Start visit' }).click();
  await page.getByText(/Visit in progress since/).waitFor();
}

async function goTo(page: Page, screen: 'Intake' | 'Devices' | 'Settings'): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${screen}`) })
    .click();
}

/** Switch user from the lock screen, with a code a phone would show 30 s later (codes are not reused). */
type ManualClock = ReturnType<typeof manualClock>;

async function switchTo(
  page: Page,
  clock: ManualClock,
  who: PageAccount | TestAccount,
  shownAs: string,
): Promise<void> {
  await switchUserAtLock(page, clock, who);
  await expect.poll(() => page.getByTestId('session-bar').textContent()).toContain(shownAs);
}

/** The unit each card starts in: the nurse's choice this session, else her own units, else the clinic's. */
async function expectUnits(page: Page, units: Record<string, string>): Promise<void> {
  for (const [kind, unit] of Object.entries(units))
    await expect.poll(() => page.getByTestId(`vital-${kind}`).getByLabel('Unit').inputValue()).toBe(unit);
}
/** The clinic's °F and lb, her own in and mmol/L (Settings → My units), and °C as she chose on a card. */
const CLINIC_AND_MINE = { bodyWeight: '[lb_av]', bodyHeight: '[in_i]', glucose: 'mmol/L' };

/** Finish with nothing left behind: the question says so, and the nurse confirms. */
async function finishVisit(page: Page): Promise<void> {
  await page.getByTestId('visit-panel').getByRole('button', { name: 'Finish visit' }).click();
  const dialog = page.getByTestId('finish-visit-dialog');
  await dialog.getByText('Every value is saved and sent.').waitFor();
  await dialog.getByRole('button', { name: 'Finish visit' }).click();
  await expect.poll(() => page.getByTestId('accept-status').textContent()).toBe('Visit finished.');
}

const heartRateInput = (page: Page) => page.getByTestId('vital-heartRate').getByLabel(/Value/);

describe('A clinic morning', () => {
  it('three patients back to back, a lock and a switch of user, and nothing lost', async () => {
    // The core's clock starts at the page's time (typed values are timed by the page) and is moved on.
    const clock = manualClock(new Date());
    // IT's policy: dates are typed day first at this clinic.
    const policy = { file: 'policy.json', ...parsePolicy(JSON.stringify({ dateOrder: 'DD/MM/YYYY' })) };
    ws = await startWorkstation({
      signIn: false,
      route: 'intake',
      core: { clock, idleSweepMs: 200, policy },
    });
    const { page, core } = ws;
    // A colleague with her own account, signed out again so she can switch in at this desk later.
    const colleague = await signInAs(core, 'nurse', 'colleague-window');
    const hers = await core.invoke(
      'settings.setMyUnits',
      { bodyWeight: 'kg', bodyHeight: 'ft+in' },
      { senderId: 'colleague-window' },
    );
    expect(hers.ok).toBe(true);
    await core.invoke('auth.signOut', {}, { senderId: 'colleague-window' });
    // The clinic works in °F and lb (Admin → Settings).
    const admin = await firstAdmin(core);
    const units = await core.invoke(
      'settings.update',
      { temperatureUnit: '[degF]', weightUnit: '[lb_av]' },
      { senderId: admin.senderId },
    );
    expect(units.ok).toBe(true);
    const nurse = await signInPage(page, core, 'nurse');

    // Layout at 1366×768: the header is one line, "Sign out" does not wrap.
    const header = await page.locator('.app-header').boundingBox();
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(header!.height).toBeLessThan(72);
    // The brand is whole, not cut short to make room.
    const brand = await page.locator('.brand-name').evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
    expect(brand).toBe(true);
    expect(signOut!.height).toBeLessThan(48);
    const lineHeights = await page
      .locator('.session-name, .sync-indicator, .core-status, .nav-list a')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    for (const h of lineHeights) expect(h).toBeLessThan(44);

    // Patient 1: registered, visit started, a value typed but not yet saved.
    await registerPatient(page, {
      mrn: 'CM-1001',
      family: 'Abernathy',
      given: 'Rosalind',
      birthDate: '14/03/1962',
      sex: 'female',
      phone: '+44 20 7946 0018',
    });
    expect(await page.getByTestId('patient-banner').textContent()).toContain('born 1962-03-14');
    await startVisit(page, 'https://visits.example.org/join/1001');
    await heartRateInput(page).fill('76');
    await expectUnits(page, {
      bodyTemperature: '[degF]',
      bodyWeight: '[lb_av]',
      bodyHeight: 'cm',
      glucose: 'mg/dL',
    });

    // The first screen shows the banner, the visit and the first row of vital cards.
    for (const testId of ['patient-banner', 'visit-panel', 'vital-heartRate']) {
      const box = await page.getByTestId(testId).boundingBox();
      expect(box!.y + Math.min(box!.height, 120), testId).toBeLessThanOrEqual(768);
    }
    await ws.screenshot('clinic-morning-01-first-patient');
    await expectAccessible(page);

    // Point 1: to Devices and Settings and back; the patient, visit and typed value are still there.
    await goTo(page, 'Devices');
    await page.getByRole('heading', { name: 'Devices at this workstation' }).waitFor();
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    // Her own units, over the clinic's: height in inches and glucose in mmol/L.
    const myUnits = page.getByRole('form', { name: 'My units' });
    await myUnits.getByLabel('Height').selectOption('[in_i]');
    await myUnits.getByLabel('Glucose').selectOption('mmol/L');
    await myUnits.getByRole('button', { name: 'Save my units' }).click();
    await expect
      .poll(() => page.getByTestId('my-units-status').textContent())
      .toMatch(/^Your units are saved/);
    await ws.screenshot('clinic-morning-02-settings');
    await expectAccessible(page);
    await goTo(page, 'Intake');
    await expectUnits(page, { bodyTemperature: '[degF]', ...CLINIC_AND_MINE });
    expect(await page.getByTestId('patient-banner').textContent()).toContain('ABERNATHY, Rosalind');
    await page.getByText(/Visit in progress since/).waitFor();
    expect(await heartRateInput(page).inputValue()).toBe('76');

    // 30 s before the idle lock a warning offers to stay; staying postpones the lock.
    const status = await core.invoke('auth.status', {}, { senderId: 'colleague-window' });
    const idleMinutes = status.ok
      ? (status.value as { policy: { idleLockMinutes: number } }).policy.idleLockMinutes
      : 5;
    clock.advance(idleMinutes * 60_000 - 20_000);
    const warning = page.getByTestId('idle-warning');
    await warning.waitFor();
    await ws.screenshot('clinic-morning-03-idle-warning');
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'detached' });
    clock.advance(40_000);
    expect(await page.getByTestId('lock-screen').count()).toBe(0);

    // Then she walks away: the screen locks, and the page holds nothing of the patient.
    clock.advance(idleMinutes * 60_000 + 1000);
    await page.getByTestId('lock-screen').waitFor();
    const lockedHtml = await page.content();
    for (const text of ['Abernathy', 'ABERNATHY', 'Rosalind', 'CM-1001', '1962-03-14'])
      expect(lockedHtml).not.toContain(text);
    await ws.screenshot('clinic-morning-04-locked');

    // Same nurse unlocks: exactly where she was.
    await page.getByLabel('Password', { exact: true }).fill(nurse.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('patient-banner').waitFor();
    expect(await heartRateInput(page).inputValue()).toBe('76');

    // She locks by hand; a colleague switches in and sees none of that work.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await switchTo(page, clock, colleague, '(nurse)');
    expect(await page.getByTestId('session-bar').textContent()).not.toContain(nurse.displayName);
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    // Her own empty desk: no open patient, no visit, no typed value (the workstation's recent list
    // is shared by design and shows names only).
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    expect(await page.getByTestId('visit-panel').count()).toBe(0);
    expect(await page.getByTestId('vital-heartRate').count()).toBe(0);
    await ws.screenshot('clinic-morning-05-colleague');
    await expectAccessible(page);

    // The colleague locks; the first nurse switches back and gets her work back.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await switchTo(page, clock, nurse, nurse.displayName);
    await page.getByTestId('patient-banner').waitFor();
    expect(await page.getByTestId('patient-banner').textContent()).toContain('ABERNATHY, Rosalind');
    expect(await heartRateInput(page).inputValue()).toBe('76');
    await ws.screenshot('clinic-morning-06-back');

    // Saving says so where a screen reader hears it; the video link changes after the start (never to
    // javascript:) and opens outside the app; finishing asks first and lists what is typed, not saved.
    const said = page.getByTestId('accept-status');
    await page.getByTestId('vital-heartRate').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => said.textContent()).toBe('Heart rate saved.');
    expect(await said.getAttribute('aria-live')).toBe('polite');
    await page.getByRole('button', { name: 'Change video link' }).click();
    await page.getByLabel('Video link (https)').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save link' }).click();
    await expect.poll(() => page.locator('#visit-video-link-error').textContent()).toMatch(/https/);
    await page.getByLabel('Video link (https)').fill('https://visits.example.org/join/1001-b');
    await page.getByRole('button', { name: 'Save link' }).click();
    await expect.poll(() => said.textContent()).toBe('Video link changed.');
    await page.getByRole('button', { name: /^Join video/ }).click();
    await expect
      .poll(() => page.getByTestId('video-link-status').textContent())
      .toContain('Opened visits.example.org');
    await page.getByTestId('vital-bodyTemperature').getByLabel(/Value/).fill('99.1');
    await page.getByTestId('visit-panel').getByRole('button', { name: 'Finish visit' }).click();
    const finishDialog = page.getByTestId('finish-visit-dialog');
    await finishDialog.waitFor();
    expect(await finishDialog.getByTestId('finish-unsaved').textContent()).toContain('Temperature: 99.1');
    await ws.screenshot('clinic-morning-07-finish-asks');
    await expectAccessible(page);
    await finishDialog.getByRole('button', { name: 'Keep the visit open' }).click();
    await page.getByTestId('vital-bodyTemperature').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => said.textContent()).toBe('Temperature saved.');
    // She reads temperatures in °C this morning: chosen on the card, it holds for every patient after.
    await page.getByTestId('vital-bodyTemperature').getByLabel('Unit').selectOption('Cel');
    await expect
      .poll(() => page.getByTestId('vital-bodyTemperature-value').textContent())
      .toMatch(/^37\.3 °C/);
    await finishVisit(page);

    // Patient 2: registration refuses a hidden direction override and a birth date in the future, and
    // reads the date back in words; the video link is added after the visit started.
    await page.getByRole('button', { name: /^Change patient/ }).click();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('CM-1002');
    await page.getByLabel('Family name').fill('Nakamura\u202Eevil');
    await page.getByLabel('Given name').fill('\u200B\u200B');
    await page.getByLabel(/^Birth date/).fill('14/03/2062');
    await page.getByLabel('Sex').selectOption('male');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect.poll(() => page.locator('#reg-family-error').textContent()).toMatch(/text-direction/);
    expect(await page.locator('#reg-given-error').textContent()).toMatch(/invisible/);
    expect(await page.locator('#reg-birthDate-error').textContent()).toBe(
      'A birth date cannot be in the future.',
    );
    await ws.screenshot('clinic-morning-08-registration-refused');
    await expectAccessible(page);
    await page.getByLabel('Family name').fill('Nakamura');
    await page.getByLabel('Given name').fill('Kenji');
    // Typed month first, against the clinic's day-first order: refused with the reason, not guessed.
    expect(await page.getByLabel(/^Birth date/).getAttribute('placeholder')).toBe('23/04/1980');
    await page.getByLabel(/^Birth date/).fill('07/13/1948');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect
      .poll(() => page.locator('#reg-birthDate-error').textContent())
      .toBe('There is no month 13. Dates here are typed day/month/year, such as 14/03/1962.');
    await ws.screenshot('clinic-morning-08a-date-order');
    await expectAccessible(page);
    await page.getByLabel(/^Birth date/).fill('05/07/1948');
    await expect.poll(() => page.getByTestId('reg-birthDate-hint').textContent()).toBe('5 July 1948');
    // The calendar beside it shows the same day, and picking one writes it in the clinic's order.
    await page.getByRole('button', { name: 'Pick the birth date from a calendar' }).click();
    const calendar = page.getByRole('dialog', { name: 'Birth date' });
    expect(await calendar.locator('[aria-selected="true"] button').getAttribute('aria-label')).toBe(
      '5 July 1948',
    );
    await calendar.getByRole('button', { name: '6 July 1948', exact: true }).click();
    expect(await page.getByLabel(/^Birth date/).inputValue()).toBe('06/07/1948');
    await page.getByLabel(/^Birth date/).fill('05/07/1948');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByTestId('patient-banner').getByText('NAKAMURA, Kenji').waitFor();
    await expectUnits(page, { bodyTemperature: 'Cel', ...CLINIC_AND_MINE });
    await startVisit(page, '');
    await page.getByRole('button', { name: 'Add video link' }).click();
    await page.getByLabel('Video link (https)').fill('https://visits.example.org/join/1002');
    await page.getByRole('button', { name: 'Save link' }).click();
    await expect.poll(() => said.textContent()).toBe('Video link added.');
    await page.getByRole('button', { name: /^Join video/ }).waitFor();
    await heartRateInput(page).fill('64');
    await heartRateInput(page).press('Enter');
    await expect.poll(() => said.textContent()).toBe('Heart rate saved.');
    // Its only heart rate withdrawn, the card says there is no valid value and History stays.
    const hr2 = page.getByTestId('vital-heartRate');
    await hr2.getByRole('button', { name: 'History' }).click();
    await hr2.getByRole('button', { name: 'Mark as entered in error…' }).click();
    await hr2.getByLabel('Why was it entered in error?').fill('Measured on the wrong patient');
    await hr2.getByRole('button', { name: 'Mark entered in error' }).click();
    await expect.poll(() => said.textContent()).toBe('Heart rate marked as entered in error.');
    await expect.poll(() => hr2.getByTestId('vital-heartRate-empty').textContent()).toBe('No valid value');
    // The open History reloads after the card does: wait for it rather than read it once.
    await expect
      .poll(() => hr2.getByTestId('history-entry').textContent())
      .toMatch(/^64 bpm, entered in error/);
    await hr2.getByRole('button', { name: 'History' }).click();
    await hr2.getByRole('button', { name: 'History' }).click();
    await hr2.getByTestId('history-entry').waitFor();
    await ws.screenshot('clinic-morning-08b-no-valid-value');
    await finishVisit(page);

    // Patient 3: a javascript: link does not start the visit; a correction and a patient correction
    // are both confirmed aloud.
    // A likely duplicate (same name and birth date as patient 1) is shown before anything is saved.
    await page.getByRole('button', { name: /^Change patient/ }).click();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('CM-9999');
    await page.getByLabel('Family name').fill('abernathy');
    await page.getByLabel('Given name').fill('Rosalind');
    await page.getByLabel(/^Birth date/).fill('14/03/1962');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const duplicate = page.getByTestId('likely-duplicate');
    await duplicate.waitFor();
    expect(await duplicate.textContent()).toContain('MRN CM-1001 · same name and birth date');
    // Another name and birth date, but patient 1's phone written the national way: shown too.
    await page.getByLabel('Given name').fill('Rose');
    await page.getByLabel(/^Birth date/).fill('14/03/1963');
    await page.getByLabel('Phone (optional)').fill('020 7946 0018');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect.poll(() => duplicate.textContent()).toContain('MRN CM-1001 · same phone');
    await ws.screenshot('clinic-morning-09a-likely-duplicate');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await registerPatient(page, {
      mrn: 'CM-1003',
      family: 'Osei',
      given: 'Ama',
      birthDate: '1990-11-30',
      sex: 'female',
    });
    await page.getByLabel('Visit id or join link').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Start visit' }).click();
    await expect.poll(() => page.locator('#visit-link-error').textContent()).toMatch(/https/);
    expect(await page.getByText(/Visit in progress since/).count()).toBe(0);
    await startVisit(page, 'https://visits.example.org/join/1003');
    await heartRateInput(page).fill('88');
    await heartRateInput(page).press('Enter');
    await expect.poll(() => said.textContent()).toBe('Heart rate saved.');
    const hrCard = page.getByTestId('vital-heartRate');
    await hrCard.getByRole('button', { name: 'Correct…' }).click();
    await hrCard.getByLabel(/Value/).fill('84');
    await hrCard.getByLabel('Reason for the correction').fill('Counted again at rest');
    await hrCard.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => said.textContent()).toBe('Heart rate corrected.');
    // A newer value typed for the wrong patient is withdrawn: the card falls back to the valid 84.
    await heartRateInput(page).fill('90');
    await heartRateInput(page).press('Enter');
    await expect.poll(() => hrCard.getByTestId('vital-heartRate-value').textContent()).toBe('90 bpm');
    // Reopened (the screen now knows only the newest value), units still the clinic's.
    await page.getByRole('button', { name: /^Change patient/ }).click();
    await page.getByLabel('MRN, name or birth date').fill('CM-1003');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-banner').getByText('OSEI, Ama').waitFor();
    await expectUnits(page, { bodyTemperature: 'Cel', ...CLINIC_AND_MINE });
    await expect.poll(() => hrCard.getByTestId('vital-heartRate-value').textContent()).toBe('90 bpm');
    // History lists every heart rate of this visit, not only the newest, each with its versions, who
    // entered it, when, and how; the older value is corrected again from there, the newer withdrawn.
    await hrCard.getByRole('button', { name: 'History' }).click();
    const entries = hrCard.getByTestId('history-entry');
    await expect.poll(() => entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toMatch(/^90 bpm · taken/);
    const older = entries.nth(1);
    expect(await older.textContent()).toMatch(/^84 bpm · taken/);
    expect(await older.locator('li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^Recorded 88 bpm .* by ${nurse.displayName} · typed in$`)),
      expect.stringMatching(/^Corrected 84 bpm .* · typed in — “Counted again at rest”$/),
    ]);
    await older.getByRole('button', { name: 'Correct…' }).click();
    await expect.poll(() => hrCard.locator('.amend-note').count()).toBe(1);
    await hrCard.getByLabel(/Value/).fill('82');
    await hrCard.getByLabel('Reason for the correction').fill('Third count, after sitting 5 minutes');
    await hrCard.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => said.textContent()).toBe('Heart rate corrected.');
    await expect.poll(() => older.locator('li').count()).toBe(3);
    expect(await older.textContent()).toMatch(/^82 bpm · taken/);
    // The newest value is still 90: a correction of an older value does not replace it.
    expect(await hrCard.getByTestId('vital-heartRate-value').textContent()).toBe('90 bpm');
    await ws.screenshot('clinic-morning-09b-history');
    await expectAccessible(page);
    await entries.nth(0).getByRole('button', { name: 'Mark as entered in error…' }).click();
    await hrCard.getByLabel('Why was it entered in error?').fill('Typed for the wrong patient');
    await hrCard.getByRole('button', { name: 'Mark entered in error' }).click();
    await expect.poll(() => said.textContent()).toBe('Heart rate marked as entered in error.');
    await expect.poll(() => hrCard.getByTestId('vital-heartRate-value').textContent()).toBe('82 bpm');
    await expect.poll(() => entries.nth(0).textContent()).toMatch(/^90 bpm, entered in error · taken/);
    // Withdrawn, it offers nothing more to do; the valid one still does.
    expect(await entries.nth(0).getByRole('button').count()).toBe(0);
    // Weight typed in her pounds: History shows it as typed and as stored.
    const weightCard = page.getByTestId('vital-bodyWeight');
    await weightCard.getByLabel(/Value/).fill('187');
    await weightCard.getByLabel(/Value/).press('Enter');
    await expect.poll(() => said.textContent()).toBe('Weight saved.');
    await weightCard.getByRole('button', { name: 'History' }).click();
    await expect
      .poll(() => weightCard.getByTestId('history-entry').textContent())
      .toMatch(/^187 lb \(84\.8 kg\) · taken/);
    await page.keyboard.press('Alt+D');
    const correction = page.getByRole('region', { name: 'Correct patient details' });
    // The stored birth date opens in the clinic's order, as it was typed.
    await expect.poll(() => correction.getByLabel(/^Birth date/).inputValue()).toBe('30/11/1990');
    await correction.getByLabel('Given name').fill('Amma');
    await correction.getByLabel('Reason for the correction').fill('Spelling checked against her ID card');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => said.textContent()).toBe('Patient details corrected: OSEI, Amma.');
    await ws.screenshot('clinic-morning-09-third-patient');
    await expectAccessible(page);
    await finishVisit(page);

    // She signs out; her colleague signs in at the same desk with her own units (kg, feet and inches).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
    clock.advance(30_000);
    await fillSignIn(page, core, { ...colleague, displayName: '', role: 'nurse' });
    await expect.poll(() => page.getByTestId('session-bar').textContent()).toContain('(nurse)');
    await page.getByLabel('MRN, name or birth date').fill('CM-1003');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-banner').getByText('OSEI, Amma').waitFor();
    // The clinic's °F (not the first nurse's °C of this morning), her kg and ft + in, the clinic's mg/dL.
    await expectUnits(page, {
      bodyTemperature: '[degF]',
      bodyWeight: 'kg',
      bodyHeight: 'ft+in',
      glucose: 'mg/dL',
    });
    const weightSeen = page.getByTestId('vital-bodyWeight');
    expect(await weightSeen.getByTestId('vital-bodyWeight-value').textContent()).toBe('84.8 kg');
    const heightCard = page.getByTestId('vital-bodyHeight');
    await heightCard.getByLabel(/Value/).fill(`5' 4"`);
    await heightCard.getByLabel(/Value/).press('Enter');
    await expect.poll(() => said.textContent()).toBe('Height saved.');
    expect(await heightCard.getByTestId('vital-bodyHeight-value').textContent()).toBe('5 ft 4 in');
    await heightCard.getByRole('button', { name: 'History' }).click();
    await expect
      .poll(() => heightCard.getByTestId('history-entry').textContent())
      .toMatch(
        new RegExp(`^5 ft 4 in \\(162\\.6 cm\\) · taken .*Recorded 5 ft 4 in \\(162\\.6 cm\\) .* · typed in`),
      );
    await ws.screenshot('clinic-morning-12-colleague-units');
    await expectAccessible(page);
  }, 300_000); // a whole morning: longer than one feature

  it('the administrator asks before switching a nurse off or making an administrator, and finds her by username in the trail', async () => {
    ws = await startWorkstation({ signIn: 'admin', route: 'admin' });
    const { page, core } = ws;
    const nurse = await signInAs(core, 'nurse', 'nurse-window');
    // The nurse registers and opens a patient: the trail holds it under the patient's id only.
    const registered = await core.invoke(
      'patients.register',
      { mrn: 'CM-2001', family: 'Abernathy', given: 'Rosalind', birthDate: '1962-03-14', sex: 'female' },
      { senderId: 'nurse-window' },
    );
    if (!registered.ok) throw new Error(registered.error.message);
    const patientId = (registered.value as { id: string }).id;
    await core.invoke('patients.get', { patientId }, { senderId: 'nurse-window' });
    await core.invoke('auth.signOut', {}, { senderId: 'nurse-window' });
    await page.reload();
    const row = page
      .getByRole('region', { name: 'Staff accounts' })
      .getByRole('row', { name: new RegExp(`^${nurse.username.replace('.', '\\.')} `) });
    await row.waitFor();
    const question = page.getByTestId('confirm-account-change');

    // Switch off: asked first; Cancel changes nothing, confirming does it.
    await row.getByRole('button', { name: 'Switch off' }).click();
    await question.getByText(/cannot sign in until the account is switched on again/).waitFor();
    await ws.screenshot('clinic-morning-10-admin-asks');
    await expectAccessible(page);
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.textContent()).toContain('Active');
    await row.getByRole('button', { name: 'Switch off' }).click();
    await question.getByRole('button', { name: 'Switch off' }).click();
    await expect.poll(() => row.textContent()).toContain('Switched off');

    // Making an administrator is asked too; cancelled, the role stays.
    await row.getByLabel(/^Role of/).selectOption('admin');
    await question.getByText(/will no longer see patients/).waitFor();
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.getByLabel(/^Role of/).inputValue()).toBe('nurse');
    await row.getByLabel(/^Role of/).selectOption('admin');
    await question.getByRole('button', { name: 'Make administrator' }).click();
    await expect.poll(() => row.getByLabel(/^Role of/).inputValue()).toBe('admin');

    // The trail by username, not by internal id: the nurse's own sign-in is there.
    const auditFilter = page.getByRole('form', { name: 'Filter the audit trail' });
    await auditFilter.getByLabel('Done by').fill(nurse.username);
    await auditFilter.getByRole('button', { name: 'Filter' }).click();
    const whoColumn = page.getByTestId('audit-table').locator('tbody tr td:nth-child(3)');
    await expect.poll(async () => [...new Set(await whoColumn.allTextContents())]).toEqual([nurse.username]);
    await auditFilter.getByLabel('Done by').fill('nobody.here');
    await auditFilter.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No account has the username nobody.here.').waitFor();
    await ws.screenshot('clinic-morning-11-audit-by-username');
    await expectAccessible(page);

    // By patient, as people know patients: the MRN, then part of the name; never by internal id.
    await auditFilter.getByLabel('Done by').fill('');
    const patientColumn = page.getByTestId('audit-table').locator('tbody tr td:nth-child(8)');
    for (const patient of ['cm-2001', 'abern']) {
      await auditFilter.getByLabel('Patient (MRN or name)').fill(patient);
      await auditFilter.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(async () => [...new Set(await patientColumn.allTextContents())]).toEqual([patientId]);
    }
    const actions = await page
      .getByTestId('audit-table')
      .locator('tbody tr td:nth-child(6)')
      .allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['patients.register', 'patients.get']));
    await ws.screenshot('clinic-morning-13-audit-by-patient');
    await expectAccessible(page);
    await auditFilter.getByLabel('Patient (MRN or name)').fill('CM-9999');
    await auditFilter.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => page.getByTestId('audit-no-patient').textContent())
      .toBe('No patient has the MRN or name “CM-9999”.');
    expect(await page.getByTestId('audit-table').locator('tbody tr').count()).toBe(0);
    // The search is in the trail by who made it and how many patients it named, not by what was typed.
    await auditFilter.getByLabel('Patient (MRN or name)').fill('');
    await auditFilter.getByLabel('Action').fill('audit.byPatient');
    await auditFilter.getByRole('button', { name: 'Filter' }).click();
    await expect
      .poll(() => page.getByTestId('audit-table').locator('tbody tr td:nth-child(10)').allTextContents())
      .toEqual(['patients:0', 'patients:1', 'patients:1']);
    const trailText = await page.getByTestId('audit-table').textContent();
    for (const typed of ['CM-9999', 'cm-2001', 'abern']) expect(trailText).not.toContain(typed);
  });
});
