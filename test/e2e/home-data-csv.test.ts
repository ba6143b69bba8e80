/**
 * "Any other CSV" the way a shift goes: the first patient brings the export of her blood-pressure cuff's
 * phone app, a CSV this app has no reader for; the nurse maps its columns once (date, systolic, diastolic;
 * blood pressure in mmHg), sees the first rows as they would import, and imports. The next patient brings
 * the same app's export: it goes straight to the preview with the saved mapping. A newer app version's
 * export (one more column) is dropped on the dialog and asks again; a third patient's file is dropped on
 * intake's Home data area and imports. A page that names a path itself gets nothing.
 *
 * The file dialog is the core's stand-in picker (no system dialog in Chromium). Drops are DOM drop events
 * carrying a File made in the page, as Chromium gives a real drop; the Chromium host copies its bytes.
 */
process.env.TZ = 'Europe/Berlin';

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Patient } from '../../shared/records';
import { CUFF_APP_HEADER, cuffAppCsv } from '../sim/home-data/mapped-csv';
import { signInAs } from '../support/session';
import { RESULTS_DIR, deskPerTest } from './harness';
import { call, NURSE_WINDOW } from './review-steps';

const desk = deskPerTest();

async function openPatient(page: Page, search: string): Promise<void> {
  await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
  await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').fill(search);
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('patient-banner').waitFor();
}

/** Drops a file on `target` as Chromium does for a file dragged from a folder. */
async function dropFile(page: Page, target: Locator, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const data = new DataTransfer();
      data.items.add(new File([t], n, { type: 'text/csv' }));
      return data;
    },
    [name, text] as const,
  );
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

describe('any other CSV at intake', () => {
  it('maps an unknown CSV once; the same layout imports without asking, another asks again, a drop imports', async () => {
    const ws = await desk.start({ route: 'intake', signIn: 'nurse' });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const register = (mrn: string, family: string, given: string) =>
      call<Patient>(core, 'patients.register', {
        mrn,
        family,
        given,
        birthDate: '1952-06-14',
        sex: 'female',
      });
    const ingrid = await register('CSV-5101', 'Berg', 'Ingrid');
    const tove = await register('CSV-5102', 'Holm', 'Tove');
    const selma = await register('CSV-5103', 'Dahl', 'Selma');
    const dir = desk.scratch('vd-csv-e2e-');
    const write = (name: string, text: string) => {
      const file = path.join(dir!, name);
      writeFileSync(file, text);
      return file;
    };
    const ingridFile = write('bp-ingrid.csv', cuffAppCsv({ days: 5, seed: 11 }));
    core.attachFilePicker({ pick: () => Promise.resolve(ingridFile) });

    // Patient 1: the cuff app's export, mapped once.
    await page.reload();
    await openPatient(page, 'berg');
    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    const form = dialog.getByTestId('csv-mapping');
    await form.waitFor({ timeout: 30_000 });
    // The first guess from the header: date, systolic, diastolic; measure and unit are the nurse's to say.
    expect(await dialog.getByTestId('csv-role-0').inputValue()).toBe('time');
    expect(await dialog.getByTestId('csv-role-1').inputValue()).toBe('value');
    expect(await dialog.getByTestId('csv-role-2').inputValue()).toBe('diastolic');
    expect(await dialog.getByTestId('csv-role-3').inputValue()).toBe('ignore');
    const issues = dialog.getByTestId('csv-mapping-issues');
    expect(await issues.textContent()).toMatch(
      /Choose what was measured, or the column that says it\..*Choose the unit of the values/,
    );
    expect(await dialog.getByTestId('csv-mapping-confirm').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-csv-mapping-new.png') });

    // No date column: said at once.
    await dialog.getByTestId('csv-role-0').selectOption('ignore');
    expect(await issues.textContent()).toMatch(/Choose the column with the date and time\./);
    await dialog.getByTestId('csv-role-0').selectOption('time');
    await dialog.getByTestId('csv-measure').selectOption('bloodPressure');
    // A unit this app does not know for blood pressure is named, with the ones it knows.
    await dialog.getByTestId('csv-unit').fill('bar');
    expect(await issues.textContent()).toMatch(/The unit “bar” is not one this app knows for this measure/);
    await dialog.getByTestId('csv-unit').fill('mmHg');
    const rows = dialog.getByTestId('csv-mapping-rows');
    await rows.locator('tbody tr').nth(4).waitFor();
    const firstRow = await rows.locator('tbody tr').first().textContent();
    // Line 2 of the file, read at the workstation's time: the time as written.
    expect(firstRow).toMatch(/^2Blood pressureApr 1, 2026, 7:10 AM\d{3}\/\d{2} mmHg$/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-csv-mapping.png') });
    await dialog.getByTestId('csv-mapping-confirm').click();

    const preview = dialog.getByTestId('home-data-preview');
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-format').textContent()).toBe('CSV (mapped columns)');
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/10 read: 10 new/);
    expect(await dialog.getByTestId('home-data-saved-mapping').count()).toBe(0);
    await dialog.getByTestId('home-data-import').click();
    const done = dialog.getByTestId('home-data-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/10 new values imported from bp-ingrid\.csv/);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Patient 2: the same app's export goes straight to the preview, with the saved mapping.
    const toveFile = write('bp-tove.csv', cuffAppCsv({ days: 3, seed: 12 }));
    core.attachFilePicker({ pick: () => Promise.resolve(toveFile) });
    await page.getByRole('button', { name: /Change patient/ }).click();
    await openPatient(page, 'holm');
    await page.getByRole('button', { name: 'Import home data…' }).click();
    await dialog.getByTestId('home-data-choose').click();
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('csv-mapping').count()).toBe(0);
    expect(await dialog.getByTestId('home-data-saved-mapping').textContent()).toBe(
      'Using the saved column mapping for this layout — Change',
    );
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/6 read: 6 new/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-data-csv-saved-mapping.png') });
    // Change opens the form filled in with the saved mapping; Cancel leaves it as it was.
    await dialog.getByRole('button', { name: 'Change' }).click();
    await form.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('csv-measure').inputValue()).toBe('bloodPressure');
    expect(await dialog.getByTestId('csv-unit').inputValue()).toBe('mmHg');
    await dialog.getByTestId('csv-mapping-confirm').click();
    await preview.waitFor({ timeout: 30_000 });
    await dialog.getByTestId('home-data-import').click();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/6 new values imported from bp-tove\.csv/);

    // A newer export of the app (one more column), dropped on the dialog: another layout, asked again.
    await dialog.getByRole('button', { name: 'Import another file' }).click();
    const newer = cuffAppCsv({ days: 2, seed: 13, header: [...CUFF_APP_HEADER, 'Irregular heartbeat'] });
    await dropFile(page, dialog, 'bp-tove-v2.csv', newer);
    await form.waitFor({ timeout: 30_000 });
    expect(await form.textContent()).toMatch(/bp-tove-v2\.csv/);
    expect(await form.textContent()).toMatch(/Irregular heartbeat/);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Patient 3: her file is dropped on intake's Home data area; the saved mapping reads it.
    await page.getByRole('button', { name: /Change patient/ }).click();
    await openPatient(page, 'dahl');
    await dropFile(
      page,
      page.getByTestId('intake-home-data'),
      'bp-selma.csv',
      cuffAppCsv({ days: 4, seed: 14 }),
    );
    await preview.waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('home-data-saved-mapping').isVisible()).toBe(true);
    expect(await dialog.getByTestId('home-data-counts').textContent()).toMatch(/8 read: 8 new/);
    await dialog.getByTestId('home-data-import').click();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/8 new values imported from bp-selma\.csv/);

    // Each patient has exactly her own values.
    const homeOf = async (id: string) =>
      (
        await call<{ observations: { measure: string }[] }>(core, 'homeData.forPatient', {
          patientId: id,
          from: '2026-01-01T00:00:00Z',
          to: '2027-01-01T00:00:00Z',
        })
      ).observations.map((o) => o.measure);
    expect(await homeOf(ingrid.id)).toEqual(Array(10).fill('bloodPressure'));
    expect(await homeOf(tove.id)).toEqual(Array(6).fill('bloodPressure'));
    expect(await homeOf(selma.id)).toEqual(Array(8).fill('bloodPressure'));

    // The attack: the page names a path, or sends the host a "dropped" file that names one. Main reads
    // only what was dropped or picked: the path is refused, and a made-up File is only its own bytes.
    const attack = await page.evaluate(async () => {
      const w = window as unknown as {
        vitals: {
          invoke(c: string, r: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
          dropFile(
            f: unknown,
          ): Promise<{ ok: boolean; value?: { file: { token: string; fileName: string } } }>;
        };
        __vitalsDrop(step: string, id: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
      };
      const named = await w.vitals.invoke('homeData.acceptDrop', { path: '/etc/passwd' });
      const noDrop = await w.vitals.invoke('homeData.acceptDrop', {});
      const endForged = await w.__vitalsDrop('end', '/etc/passwd');
      const pathString = await w.vitals.dropFile('/etc/passwd');
      const forged = await w.vitals.dropFile(new File(['not a health export'], '/etc/passwd'));
      return { named, noDrop, endForged, pathString, forged };
    });
    expect(attack.named).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(attack.noDrop).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(attack.endForged).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(attack.pathString).toMatchObject({ ok: false });
    expect(attack.forged.value?.file.fileName).toBe('passwd');
    const readBack = await core.invoke(
      'homeData.preview',
      { jobId: crypto.randomUUID(), patientId: selma.id, fileToken: attack.forged.value!.file.token },
      { senderId: NURSE_WINDOW },
    );
    // Another window's token is not this one's; and in its own window the copy holds only the page's bytes.
    expect(readBack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const own = await page.evaluate(
      async ([token, patientId]) =>
        (
          window as unknown as {
            vitals: { invoke(c: string, r: unknown): Promise<{ ok: boolean; error?: { message: string } }> };
          }
        ).vitals.invoke('homeData.preview', { jobId: crypto.randomUUID(), patientId, fileToken: token }),
      [attack.forged.value!.file.token, selma.id] as const,
    );
    expect(own).toMatchObject({
      ok: false,
      error: { message: /passwd is a file that is not a health export/ },
    });
  });
});
