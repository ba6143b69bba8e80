/**
 * The birth-date calendar at a 1366×768 screen, in registration and in a correction from the banner:
 * drawn in the page and placed inside the window (above the field when there is no room below), worked
 * with the keyboard alone, and focus back on its button when it closes.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** The open calendar's box and which side of the field it went to. */
async function calendarBox(page: Page, id: string) {
  const calendar = page.getByRole('dialog', { name: 'Birth date' });
  await calendar.waitFor();
  await expect.poll(() => calendar.evaluate((e) => e.style.visibility)).not.toBe('hidden');
  const box = (await page.getByTestId(`${id}-calendar`).boundingBox())!;
  const field = (await page.locator(`#${id.replace('-picker', '')}`).boundingBox())!;
  return { box, field, side: await calendar.getAttribute('class') };
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('birth-date calendar', () => {
  it('stays on a 768-pixel screen in registration and correction, and works by keyboard', async () => {
    ws = await startWorkstation({ route: 'intake', signIn: 'nurse' });
    const { page } = ws;
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    await page.keyboard.press('Alt+N');
    await page.getByLabel('MRN').fill('BD-1');
    await page.getByLabel('Family name').fill('Haddad');
    await page.getByLabel('Given name').fill('Layla');
    await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1948-07-05');

    // Keyboard only: the button opens it on the typed day; arrows move; Enter picks.
    await page.getByRole('button', { name: 'Pick the birth date from a calendar' }).focus();
    await page.keyboard.press('Enter');
    const reg = await calendarBox(page, 'reg-birthDate-picker');
    expect(reg.box.y).toBeGreaterThanOrEqual(0);
    expect(reg.box.y + reg.box.height).toBeLessThanOrEqual(768);
    expect(reg.box.x + reg.box.width).toBeLessThanOrEqual(1366);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('5 July 1948');
    await ws.screenshot('birth-date-calendar-registration');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      '13 July 1948',
    );
    await page.keyboard.press('Shift+PageUp');
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Birth date (YYYY-MM-DD)').inputValue()).toBe('1947-07-13');
    expect(await focusedId(page)).toBe('reg-birthDate-picker');
    // Escape closes without changing the date, focus back on the button.
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Birth date' }).waitFor();
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Birth date' }).count()).toBe(0);
    expect(await page.getByLabel('Birth date (YYYY-MM-DD)').inputValue()).toBe('1947-07-13');
    expect(await focusedId(page)).toBe('reg-birthDate-picker');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByTestId('patient-banner').getByText('HADDAD, Layla').waitFor();

    // Correction, its birth date low on the screen: the calendar opens above the field, on screen.
    await page.keyboard.press('Alt+D');
    const form = page.getByRole('region', { name: 'Correct patient details' });
    await form.waitFor();
    // The field is put low on the screen, as when messages above push the form down: room is added
    // above the screen's content so the field sits 120 px above the window's bottom.
    await page.evaluate(() => {
      const field = document.querySelector('#fix-birthDate')!;
      const room = window.innerHeight - field.getBoundingClientRect().bottom;
      document.querySelector<HTMLElement>('main')!.style.paddingTop = `${room - 120}px`;
    });
    const fieldBottom = await page
      .locator('#fix-birthDate')
      .evaluate((e) => e.getBoundingClientRect().bottom);
    expect(fieldBottom).toBeGreaterThan(600);
    await page.getByRole('button', { name: 'Pick the birth date from a calendar' }).click();
    const fix = await calendarBox(page, 'fix-birthDate-picker');
    await page.screenshot({ path: 'test-results/birth-date-calendar-correction.png' });
    expect(fix.side).toContain('above');
    expect(fix.box.y).toBeGreaterThanOrEqual(0);
    expect(fix.box.y + fix.box.height).toBeLessThanOrEqual(fix.field.y);
    await page
      .getByRole('dialog', { name: 'Birth date' })
      .getByRole('button', { name: '2 July 1947', exact: true })
      .click();
    expect(await form.getByLabel('Birth date (YYYY-MM-DD)').inputValue()).toBe('1947-07-02');
    expect(await focusedId(page)).toBe('fix-birthDate-picker');
    // Escape in the calendar closes the calendar, not the correction.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Birth date' }).count()).toBe(0);
    expect(await form.count()).toBe(1);
  });
});
