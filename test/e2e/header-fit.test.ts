/**
 * The header at a 1366×768 (and 1280×720) screen with the longest realistic clinic, workstation and user
 * names, values and home values waiting and a failed send: it stays inside the window, and whatever is
 * shortened there keeps its whole text as a tooltip (and in the page, for a screen reader).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../main/sync/service';
import type { Patient } from '../../shared/records';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { signInAs } from '../support/session';
import { openPatientAtIntake, deskPerTest, type Workstation } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';
import { signInPage } from './sign-in';

const CLINIC = 'St Bartholomew’s Community Health Centre – Northern Rivers Family Practice';
const STATION = 'Intake Room 12 (East Wing)';
const USER = 'Maria-Alexandra Papadopoulou-Fernández';

const desk = deskPerTest();

/** Every header element whose text is cut, and whether it carries its whole text as title and name. */
async function clipped(page: Workstation['page']) {
  return page.evaluate(() => {
    const header = document.querySelector<HTMLElement>('.app-header')!;
    const cut = [...header.querySelectorAll<HTMLElement>('*')]
      .filter((el) => !el.classList.contains('visually-hidden'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      .map((el) => ({
        text: el.textContent,
        title: el.getAttribute('title'),
      }));
    return {
      headerOverflows: header.scrollWidth > header.clientWidth + 1,
      rightEdge: Math.max(...[...header.children].map((c) => c.getBoundingClientRect().right)),
      width: window.innerWidth,
      height: header.getBoundingClientRect().height,
      cut,
    };
  });
}

describe('header at 1366 and 1280 pixels', () => {
  it('shows the clinic, the user and both waiting counts without cutting anything off unexplained', async () => {
    // Nothing listens on this port: every send fails, so the header also says when it retries.
    const sync: SyncConfig = {
      baseUrl: 'http://127.0.0.1:9/fhir',
      auth: { kind: 'none' },
      maxTransactionEntries: 100,
      backoff: { initialMs: 60_000, maxMs: 120_000 },
      autoStart: false,
    };
    const ws = await desk.start({
      signIn: false,
      route: 'intake',
      core: { fhir: sync, clinicName: CLINIC, workstationName: STATION },
    });
    const { core, page } = ws;
    // A clinician: the most links in the navigation.
    await signInPage(page, core, 'clinician', USER);
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const patient = await call<Patient>(core, 'patients.register', {
      mrn: 'HF-1',
      family: 'Okonkwo',
      given: 'Adaeze',
      birthDate: '1971-09-14',
      sex: 'female',
    });
    for (const value of [72, 74])
      await call(core, 'observations.record', {
        patientId: patient.id,
        kind: 'heartRate',
        effectiveAt: new Date(Date.now() - value * 1000).toISOString(),
        method: 'manual',
        value,
      });
    const dir = desk.scratch('vd-header-e2e-');
    const file = path.join(dir, 'Clarity_Export.csv');
    writeFileSync(file, dexcomClarityCsv({ start: new Date(Date.now() - 86_400_000), days: 1, seed: 4 }));
    core.attachFilePicker({ pick: () => Promise.resolve(file) });

    await openPatientAtIntake(page, 'HF-1', /OKONKWO, Adaeze/, { keyboard: true });
    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('home-data-import').click();
    await dialog.getByTestId('home-data-done').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    const indicator = page.getByTestId('sync-indicator');
    await indicator.getByText('288 home values').waitFor();
    await indicator.getByRole('button', { name: 'Send now' }).click();
    await poll(() => indicator.textContent()).toContain('last attempt failed');
    const words = (await indicator.textContent())!;
    expect(words).toContain('2 values and 288 home values waiting to send');

    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(viewport);
      await ws.screenshot(`header-fit-${viewport.width}`);
      const seen = await clipped(page);
      expect(seen.headerOverflows).toBe(false);
      expect(seen.rightEdge).toBeLessThanOrEqual(seen.width);
      // Anything cut short shows itself whole as a tooltip (its whole text stays in the page for a
      // screen reader).
      for (const cut of seen.cut) expect(cut.title).toBe(cut.text);
      expect(seen.cut.map((c) => c.text)).toContain(`${CLINIC} · ${STATION}`);
      // The header leaves the screen to the work: at most two lines' height.
      expect(seen.height).toBeLessThan(96);
      await expect.poll(() => page.getByText(USER).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Lock' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      expect(await indicator.getByRole('button', { name: 'Send now' }).isVisible()).toBe(true);
    }
  });
});
