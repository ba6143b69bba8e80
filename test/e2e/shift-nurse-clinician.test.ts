/**
 * A shift at a 1366×768 desk: a nurse signs in, takes three patients back to back (registered, visit
 * started, vitals typed by hand, the first two visits finished), locks and unlocks, then a clinician
 * switches in, reviews the third patient and prints the summary. At each screen: nothing clipped off the
 * right edge, no action hidden below a scrollbar of its own, and focus where the keyboard user expects
 * it after a dialog or the lock closes, and a value typed but not saved is not lost to a change of
 * patient without a question. Screenshots go to test-results/shift-*.png.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import { signInAs, type TestAccount } from '../support/session';
import { startWorkstation, type Workstation } from './harness';
import { poll } from './review-steps';
import { signInPage, switchUserAtLock } from './sign-in';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** Nothing in the page reaches past the window's right edge (no sideways scrolling at 1366 px). */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
}

/** What has the keyboard: its tag, id and name, so a lost focus (the page body) shows as such. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el
      ? `${el.tagName.toLowerCase()}#${el.id}|${el.getAttribute('aria-label') ?? el.textContent?.trim()}`
      : '';
  });

async function typeVital(page: Page, kind: string, value: string): Promise<void> {
  const card = page.getByTestId(`vital-${kind}`);
  await card.getByLabel(/Value/).fill(value);
  await card.getByRole('button', { name: 'Save' }).click();
  await poll(() => card.textContent()).toContain('typed in');
}

describe('a shift at 1366×768', () => {
  it('nurse: three patients, a lock; clinician: review and print', async () => {
    const clock = manualClock(new Date());
    ws = await startWorkstation({ signIn: false, route: 'intake', core: { clock } });
    const { page, core } = ws;
    const clinician: TestAccount = await signInAs(core, 'clinician', 'clinician-window');
    await core.invoke('auth.signOut', {}, { senderId: 'clinician-window' });
    const nurse = await signInPage(page, core, 'nurse');
    await ws.screenshot('shift-01-signed-in');
    await expectNoSidewaysScroll(page);

    const patients = [
      {
        mrn: 'SH-1',
        family: 'Abara',
        given: 'Ngozi',
        birth: '1950-02-03',
        hr: '78',
        temp: '36.9',
        kg: '64.2',
      },
      { mrn: 'SH-2', family: 'Berg', given: 'Lars', birth: '1977-11-30', hr: '91', temp: '37.6', kg: '88.5' },
      {
        mrn: 'SH-3',
        family: 'Castro',
        given: 'Ines',
        birth: '1990-06-15',
        hr: '104',
        temp: '38.3',
        kg: '59.0',
      },
    ];
    for (const [i, p] of patients.entries()) {
      if (i === 2) {
        // A value typed and not saved: changing patient asks first, and staying keeps it.
        const rr = page.getByTestId('vital-respiratoryRate').getByLabel(/Value/);
        await rr.fill('18');
        await page.keyboard.press('Alt+P');
        const ask = page.getByTestId('change-patient-dialog');
        await ask.waitFor();
        expect(await ask.textContent()).toContain('Respiratory rate');
        await ws.screenshot('shift-04b-change-patient-asks');
        await page.keyboard.press('Escape');
        await expect.poll(() => ask.count()).toBe(0);
        expect(await rr.inputValue()).toBe('18');
        expect(await page.getByTestId('patient-banner').textContent()).toContain('BERG, Lars');
        await page.keyboard.press('Alt+P');
        await ask.getByRole('button', { name: 'Change patient without saving' }).click();
      } else if (i > 0) {
        await page.keyboard.press('Alt+P');
      }
      await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
      await page.keyboard.press('Alt+N');
      await page.getByLabel('MRN').fill(p.mrn);
      await page.getByLabel('Family name').fill(p.family);
      await page.getByLabel('Given name').fill(p.given);
      await page.getByLabel(/^Birth date/).fill(p.birth);
      await page.getByLabel('Sex').selectOption('female');
      await ws.screenshot(`shift-02-register-${i + 1}`);
      await expectNoSidewaysScroll(page);
      await page.getByRole('button', { name: 'Register patient' }).click();
      await page.getByTestId('patient-banner').waitFor();
      await page.getByLabel('Reason for visit').fill('Shift check');
      await page.getByRole('button', { name: 'Start visit' }).click();
      await page.getByText(/Visit in progress since/).waitFor();
      await typeVital(page, 'heartRate', p.hr);
      await typeVital(page, 'bodyTemperature', p.temp);
      await typeVital(page, 'bodyWeight', p.kg);
      await ws.screenshot(`shift-03-vitals-${i + 1}`);
      await expectNoSidewaysScroll(page);
      if (i < 2) {
        const finish = page.getByTestId('visit-panel').getByRole('button', { name: 'Finish visit' });
        await finish.click();
        const dialog = page.getByTestId('finish-visit-dialog');
        await dialog.waitFor();
        await ws.screenshot(`shift-04-finish-${i + 1}`);
        await dialog.getByRole('button', { name: 'Finish visit' }).click();
        await poll(() => page.getByTestId('accept-status').textContent()).toBe('Visit finished.');
        // The keyboard is not left on the page's body once the dialog is gone.
        expect(await focused(page)).not.toMatch(/^body/);
      }
    }

    // A lock by hand and an unlock: back where she was, the keyboard in the page.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await ws.screenshot('shift-05-locked');
    await page.getByLabel('Password', { exact: true }).fill(nurse.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('patient-banner').getByText('CASTRO, Ines').waitFor();
    expect(await focused(page)).not.toMatch(/^body/);

    // The clinician switches in and reviews the third patient's visit.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await switchUserAtLock(page, clock, clinician);
    await poll(() => page.getByTestId('session-bar').textContent()).toContain('(clinician)');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Review/ })
      .click();
    const row = page.getByTestId('visits-in-progress').getByRole('button', { name: /CASTRO, Ines/ });
    await row.waitFor();
    await ws.screenshot('shift-06-review-list');
    await row.click();
    await page.getByTestId('review-screen').waitFor();
    await poll(() => page.getByTestId('latest-heartRate-value').textContent()).toBe('104 bpm');
    expect(await page.getByTestId('latest-bodyWeight-value').textContent()).toBe('59.0 kg');
    await ws.screenshot('shift-07-review');
    await expectNoSidewaysScroll(page);
    // Each vital's name in the table reads whole: no word broken across lines.
    const names = await page
      .getByTestId('latest-vitals')
      .locator('tbody th')
      .evaluateAll((ths) =>
        ths.map((th) => ({ text: th.textContent, wide: th.scrollWidth <= th.clientWidth + 1 })),
      );
    for (const name of names) expect(name, name.text ?? '').toMatchObject({ wide: true });
    const longest = await page
      .getByTestId('latest-consciousness')
      .locator('th')
      .evaluate((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return { lines: lines.size, text: th.textContent };
      });
    // "Consciousness (ACVPU)" may wrap between its words, never inside "Consciousness".
    expect(longest.lines).toBeLessThanOrEqual(2);
    const broken = await page
      .getByTestId('latest-consciousness')
      .locator('th')
      .evaluate((th) => {
        const text = th.firstChild!;
        const range = document.createRange();
        range.setStart(text, 0);
        range.setEnd(text, 'Consciousness'.length);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
    expect(broken).toBe(1);

    await page.getByLabel('Review note (optional)').fill('Febrile; seen, plan agreed.');
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    await page.getByTestId('review-entry').waitFor();
    await page.getByRole('button', { name: 'Print / save as PDF' }).click();
    await poll(() => page.getByTestId('print-status').textContent()).toMatch(/^Saved the summary/);
    await ws.screenshot('shift-08-reviewed-printed');
  });
});
