/**
 * What the nurse sees of sync: each value says whether it has reached the care team's FHIR server, and
 * the header counts what waits. A real FHIR server (Medplum's router, in memory) runs on loopback; it is
 * down (failing every request) until the test lets it answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../main/sync/service';
import type { Patient as FhirPatient } from '@medplum/fhirtypes';
import type { Patient } from '../../shared/records';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
let fhir: FhirTestServer | undefined;
afterEach(async () => {
  await ws?.close();
  await fhir?.close();
  ws = undefined;
  fhir = undefined;
});

describe('sync state on the intake screen', () => {
  it('shows a value waiting while the server is down, then sent once it answers', async () => {
    fhir = await startFhirServer();
    const sync: SyncConfig = {
      baseUrl: fhir.baseUrl,
      auth: { kind: 'none' },
      maxTransactionEntries: 8,
      backoff: { initialMs: 1000, maxMs: 2000 },
      // The test sends by hand (the Send now button), so nothing races the assertions.
      autoStart: false,
    };
    ws = await startWorkstation({ signIn: 'nurse', route: 'intake', core: { fhir: sync } });
    const { page, core } = ws;
    const helper = await signInAs(core, 'nurse', 'test-sync-nurse');
    const registered = await core.invoke(
      'patients.register',
      { mrn: 'SYNC-7', family: 'Nakamura', given: 'Ren', birthDate: '1979-11-02', sex: 'male' },
      { senderId: helper.senderId },
    );
    const patient = (registered.ok ? registered.value : null) as Patient | null;
    expect(patient).not.toBeNull();

    await openPatientAtIntake(page, 'SYNC-7', /NAKAMURA, Ren/, { keyboard: true });
    expect(await page.getByTestId('sync-indicator').textContent()).toBe('All values sent');

    const hr = page.getByTestId('vital-heartRate');
    await hr.getByLabel(/Value/).fill('64');
    await hr.getByRole('button', { name: 'Save' }).click();
    await hr.getByText('waiting to send').waitFor();
    await page.getByTestId('sync-indicator').getByText('1 value waiting to send').waitFor();

    // A corrected name waits too, counted apart from the values.
    await page.keyboard.press('Alt+D');
    const correct = page.getByRole('region', { name: 'Correct patient details' });
    await correct.getByLabel('Given name').fill('Renji');
    await correct.getByLabel('Reason for the correction').fill('Name as on his ID');
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await page
      .getByTestId('sync-indicator')
      .getByText('1 value and 1 record update waiting to send')
      .waitFor();

    // The server is down for the next request: the attempt fails, the value keeps waiting, nothing is lost.
    fhir.failNext(1, '500');
    await page.getByTestId('sync-indicator').getByRole('button', { name: 'Send now' }).click();
    await page
      .getByTestId('sync-indicator')
      .getByText(/^1 value and 1 record update waiting to send · last attempt failed/)
      .waitFor();
    expect(await hr.textContent()).toContain('waiting to send');
    await ws.screenshot('intake-sync-waiting');

    // The server is back: after the backoff, the next pass sends it, once.
    await expect
      .poll(
        async () =>
          (await core.invoke('sync.now', {}, { senderId: helper.senderId })).ok &&
          (await fhir!.search('Observation', '_count=100')).length,
        {
          timeout: 20_000,
          interval: 500,
        },
      )
      .toBe(1);
    await hr.getByText('sent to care team').waitFor();
    await page.getByTestId('sync-indicator').getByText('All values sent').waitFor();
    const [onServer] = await fhir.search<FhirPatient>('Patient', '_count=10');
    expect(onServer?.name?.[0]?.given).toEqual(['Renji']);
  });
});
