/**
 * The header's sync word counts the patient's home values apart from the clinic's: after a CGM export is
 * imported at intake, "… home values waiting to send" until they reach the care team's FHIR server (a
 * real one, Medplum's router on loopback), then "All values sent". Sync passes run by hand (Send now).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../main/sync/service';
import type { Patient } from '../../shared/records';
import { dexcomClarityCsv } from '../sim/home-data/cgm';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { signInAs } from '../support/session';
import { RESULTS_DIR, openPatientAtIntake, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW } from './review-steps';

let ws: Workstation | undefined;
let fhir: FhirTestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await ws?.close();
  await fhir?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  ws = undefined;
  fhir = undefined;
  dir = undefined;
});

describe('sync header with home data', () => {
  it('counts imported home values apart, then says all were sent', async () => {
    fhir = await startFhirServer();
    const sync: SyncConfig = {
      baseUrl: fhir.baseUrl,
      auth: { kind: 'none' },
      maxTransactionEntries: 100,
      backoff: { initialMs: 1000, maxMs: 2000 },
      autoStart: false,
    };
    ws = await startWorkstation({ signIn: 'nurse', route: 'intake', core: { fhir: sync } });
    const { core, page } = ws;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInAs(core, 'nurse', NURSE_WINDOW);
    await call<Patient>(core, 'patients.register', {
      mrn: 'HS-1201',
      family: 'Mbeki',
      given: 'Thandi',
      birthDate: '1968-03-03',
      sex: 'female',
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'vd-home-sync-e2e-'));
    const file = path.join(dir, 'Clarity_Export.csv');
    writeFileSync(file, dexcomClarityCsv({ start: new Date(Date.now() - 86_400_000), days: 1, seed: 9 }));
    core.attachFilePicker({ pick: () => Promise.resolve(file) });

    await page.reload();
    await openPatientAtIntake(page, 'HS-1201', /MBEKI, Thandi/, { keyboard: true });
    const indicator = page.getByTestId('sync-indicator');
    expect(await indicator.textContent()).toBe('All values sent');

    await page.getByRole('button', { name: 'Import home data…' }).click();
    const dialog = page.getByTestId('home-data-dialog');
    await dialog.getByTestId('home-data-choose').click();
    await dialog.getByTestId('home-data-preview').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('home-data-import').click();
    await dialog.getByTestId('home-data-done').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await indicator.getByText('288 home values waiting to send').waitFor();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'home-sync-status.png') });
    await indicator.getByRole('button', { name: 'Send now' }).click();
    await indicator.getByText('All values sent').waitFor({ timeout: 30_000 });
    const status = await call<{ homeData: { sent: number; waiting: number } }>(core, 'sync.status', {});
    expect(status.homeData).toMatchObject({ sent: 288, waiting: 0 });
  });
});
