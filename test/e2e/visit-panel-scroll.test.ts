/**
 * The visit strip under the patient banner at a 1366×768 window, as a nurse works down the vital cards
 * and comes back up: each visit field has a label element beside it (its accessible name), and the
 * strip is never half hidden under the banner that stays at the top while the page scrolls — not after
 * a turn of the mouse wheel, not after a shortcut jumps to a card low on the page, not by keyboard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import { call } from '../support/core';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const VISIT_FIELDS = [
  { id: 'visit-link', label: 'Visit id or join link' },
  { id: 'visit-reason', label: 'Reason for visit' },
];

type Page = Workstation['page'];

/** What the window shows of the banner, the visit strip and one visit field with its label. */
async function seen(page: Page, fieldId: string) {
  return page.evaluate((id) => {
    const rect = (el: Element | null) => {
      const r = el?.getBoundingClientRect();
      return r ? { top: r.top, bottom: r.bottom } : null;
    };
    /** Whether this element is what is drawn at its own middle-left (nothing lies over it). */
    const onTop = (el: Element | null) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const at = document.elementFromPoint(r.left + Math.min(r.width / 2, 12), r.top + r.height / 2);
      return !!at && el.contains(at);
    };
    const label = document.querySelector(`label[for="${id}"]`);
    const field = document.getElementById(id);
    return {
      banner: rect(document.querySelector('[data-testid="patient-banner"]')),
      strip: rect(document.querySelector('[data-testid="visit-panel"]')),
      label: rect(label),
      field: rect(field),
      labelSeen: onTop(label),
      fieldSeen: onTop(field),
    };
  }, fieldId);
}

/** The strip wholly below the banner, and each field and its label drawn on top, on the same row. */
async function expectStripSeen(page: Page, when: string): Promise<void> {
  for (const f of VISIT_FIELDS) {
    const s = await seen(page, f.id);
    expect(s.strip!.top, `${when}: strip under the banner`).toBeGreaterThanOrEqual(s.banner!.bottom - 1);
    expect({ label: s.labelSeen, field: s.fieldSeen }, `${when}: ${f.label}`).toEqual({
      label: true,
      field: true,
    });
    // Beside, not above: the label's middle is level with its input, so they are seen together.
    const labelMiddle = (s.label!.top + s.label!.bottom) / 2;
    expect(labelMiddle, `${when}: ${f.label} beside its field`).toBeGreaterThan(s.field!.top);
    expect(labelMiddle, `${when}: ${f.label} beside its field`).toBeLessThan(s.field!.bottom);
  }
}

/** The focused control's top, and the bottom of the banner and strip above it. */
async function focusedUnderStrip(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const strip = document.querySelector('[data-testid="visit-panel"]')!.getBoundingClientRect();
    const r = el?.getBoundingClientRect();
    return {
      id: el?.id ?? '',
      top: r?.top ?? 0,
      stripBottom: strip.bottom,
      inStrip: !!el?.closest('.visit-panel'),
    };
  });
}

async function openPatient(): Promise<Page> {
  ws = await startWorkstation({ route: 'intake', signIn: 'nurse' });
  const { page, core } = ws;
  const setup = (await signInAs(core, 'nurse', 'setup-window')).senderId;
  for (const [mrn, family, given] of [
    ['MRN-44120', 'Haddad', 'Samir'],
    ['MRN-44121', 'Okafor', 'Ngozi'],
  ]) {
    await call<Patient>(core, setup, 'patients.register', {
      mrn,
      family,
      given,
      birthDate: '1958-09-03',
      sex: 'male',
    });
  }
  await page.reload();
  await openPatientAtIntake(page, 'MRN-44120', /HADDAD, Samir/);
  return page;
}

describe('visit strip at a 1366×768 window', () => {
  it('names each field beside it and keeps the strip whole under the banner as the cards scroll', async () => {
    const page = await openPatient();
    // Accessible names come from the label elements.
    for (const f of VISIT_FIELDS) {
      expect(await page.getByLabel(f.label, { exact: true }).getAttribute('id')).toBe(f.id);
      expect(await page.getByLabel(f.label, { exact: true }).isVisible()).toBe(true);
    }
    await expectStripSeen(page, 'first screen');
    await ws!.screenshot('visit-panel-1-first-screen', { window: true });

    // One turn of the wheel: the page moves a little, as in the middle of the first card row.
    await page.mouse.move(683, 500);
    await page.mouse.wheel(0, 120);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(80);
    await expectStripSeen(page, 'after one wheel turn');
    await ws!.screenshot('visit-panel-2-wheel', { window: true });

    // A shortcut to the last card takes the page to its bottom; the strip is still there, whole.
    await page.keyboard.press('Alt+G');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('vital-glucose-input');
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await expectStripSeen(page, 'at the glucose card');
    await ws!.screenshot('visit-panel-3-glucose', { window: true });

    // Back up by keyboard: every control reached on the cards is below the strip, never under it,
    // up to the strip; its order stays the page's order (Start visit, the reason, then the link).
    for (let step = 0; step < 60; step++) {
      await page.keyboard.press('Shift+Tab');
      const f = await focusedUnderStrip(page);
      if (f.inStrip) break;
      expect(f.top, `${f.id || 'control'} reached by Shift+Tab`).toBeGreaterThanOrEqual(f.stripBottom - 1);
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Start visit');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('visit-reason');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('visit-link');
    await expectStripSeen(page, 'back at the visit link');

    // Typed from the scrolled page, the visit starts and the strip says so, still in view.
    await page.mouse.wheel(0, 600);
    // A link the clinic does not allow is refused at the field; the message sits under it, inside the window.
    await page.getByLabel('Visit id or join link', { exact: true }).fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Start visit' }).click();
    const refusal = page.locator('#visit-link-error');
    await refusal.waitFor();
    expect(
      await page.getByLabel('Visit id or join link', { exact: true }).getAttribute('aria-describedby'),
    ).toBe('visit-link-error');
    const refused = await page.evaluate(() => {
      const s = document.querySelector('[data-testid="visit-panel"]')!.getBoundingClientRect();
      const field = document.getElementById('visit-link')!.getBoundingClientRect();
      const error = document.getElementById('visit-link-error')!.getBoundingClientRect();
      return { stripRight: s.right, errorTop: error.top, fieldBottom: field.bottom };
    });
    expect(refused.stripRight).toBeLessThanOrEqual(1366);
    expect(refused.errorTop).toBeGreaterThanOrEqual(refused.fieldBottom - 1);
    await expectStripSeen(page, 'with the link refused');
    await ws!.screenshot('visit-panel-4-link-refused', { window: true });
    await page.getByLabel('Visit id or join link', { exact: true }).fill('V-2231');
    await page.getByLabel('Reason for visit', { exact: true }).fill('Blood pressure review');
    await page.getByRole('button', { name: 'Start visit' }).click();
    const strip = page.getByTestId('visit-panel');
    await expect
      .poll(() => strip.textContent())
      .toMatch(/Visit in progress since .* · Visit V-2231 · Blood pressure review/);
    await page.keyboard.press('Alt+G');
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    const inProgress = await page.evaluate(() => {
      const banner = document.querySelector('[data-testid="patient-banner"]')!.getBoundingClientRect();
      const s = document.querySelector('[data-testid="visit-panel"]')!.getBoundingClientRect();
      const state = document.querySelector('.visit-state')!;
      const r = state.getBoundingClientRect();
      const at = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
      return { stripTop: s.top, bannerBottom: banner.bottom, stateSeen: !!at && state.contains(at) };
    });
    expect(inProgress.stripTop).toBeGreaterThanOrEqual(inProgress.bannerBottom - 1);
    expect(inProgress.stateSeen).toBe(true);
    await ws!.screenshot('visit-panel-5-in-progress-scrolled', { window: true });

    // The next patient: the strip is the start form again, named and seen the same way.
    await page.keyboard.press('Alt+P');
    await openPatientAtIntake(page, 'MRN-44121', /OKAFOR, Ngozi/);
    await page.mouse.move(683, 500);
    await page.mouse.wheel(0, 120);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(80);
    await expectStripSeen(page, 'next patient, after one wheel turn');
  });
});
