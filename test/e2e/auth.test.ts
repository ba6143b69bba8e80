/**
 * Sign-in, two-step enrolment and the idle lock in the real renderer against the real core. The core
 * runs on a clock the test moves, so "five idle minutes" pass at once; the lock must leave no patient
 * data on screen or in the page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { currentTotp } from '../../main/auth/totp';
import { manualClock } from '../../main/platform/clock';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';
import { signInPage } from './sign-in';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const PATIENT = {
  mrn: 'LK-40411',
  family: 'Quarrington',
  given: 'Odalys',
  birthDate: '1962-05-30',
  sex: 'female',
};

describe('sign-in screens', () => {
  it('first run: creates the first administrator, enrols two-step sign-in with a QR code, and opens Admin', async () => {
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: false, core: { clock } });
    const { page, core } = ws;
    await page.getByRole('heading', { name: 'Set up Vitals Desk' }).waitFor();
    await page.getByLabel('Username').fill('it.admin');
    await page.getByLabel('Full name').fill('Ingrid Admin');
    await page.getByLabel('Password (at least 12 characters)').fill('a strong first password');
    await page.getByLabel('Password again').fill('a strong first password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const qr = page.getByRole('img', { name: /QR code/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await ws.screenshot('auth-enrolment');
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Enter the 6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Enter the 6-digit code').fill(await currentTotp(secret, clock));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(await page.getByTestId('session-bar').textContent()).toContain('Ingrid Admin');
    // An administrator's navigation has no patient screens.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: /Intake/ }).count()).toBe(0);
    await nav.getByRole('link', { name: /Admin/ }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/intact/);
    await ws.screenshot('auth-admin-screen');
    await core.close();
  });

  it('refuses a wrong password on screen, then asks for the code and signs in', async () => {
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: false, core: { clock } });
    const { page, core } = ws;
    const nurse = await signInAs(core, 'nurse', 'elsewhere');
    await core.invoke('auth.signOut', {}, { senderId: 'elsewhere' });
    clock.advance(30_000);
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
    await page.getByLabel('Username').fill(nurse.username);
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/username or password is not right/);
    await page.getByLabel('Password', { exact: true }).fill(nurse.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByLabel('Code from your authenticator app')
      .fill(await currentTotp(nurse.totpSecret!, clock));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('session-bar').waitFor();
  });
});

describe('idle lock', () => {
  it('locks after the idle minutes, hides every trace of the patient, and unlocks with the password', async () => {
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: false, route: 'intake', core: { clock, idleSweepMs: 200 } });
    const { page, core } = ws;
    // A patient registered at this workstation, found and opened on the intake screen.
    const seed = await signInAs(core, 'nurse', 'seed-window');
    const registered = await core.invoke('patients.register', PATIENT, { senderId: seed.senderId });
    expect(registered.ok).toBe(true);
    const account = await signInPage(page, core, 'nurse');
    await page.getByLabel('MRN, name or birth date').fill(PATIENT.mrn);
    await expect.poll(async () => (await page.content()).toLowerCase()).toContain('quarrington');
    await page.getByLabel('MRN, name or birth date').press('Enter');
    await ws.screenshot('auth-before-idle-lock');

    const status = await core.invoke('auth.status', {}, { senderId: 'seed-window' });
    const idleMinutes = status.ok
      ? (status.value as { policy: { idleLockMinutes: number } }).policy.idleLockMinutes
      : 5;
    clock.advance(idleMinutes * 60_000 + 1000);
    await page.getByTestId('lock-screen').waitFor();
    const html = await page.content();
    for (const value of [PATIENT.family, PATIENT.given, PATIENT.mrn, PATIENT.birthDate])
      expect(html).not.toContain(value);
    await ws.screenshot('auth-idle-locked');

    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not right/);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('session-bar').waitFor();
    // Back to work exactly where she was: the same patient open again.
    await page.getByTestId('patient-banner').waitFor();
    expect((await page.getByTestId('patient-banner').textContent())?.toLowerCase()).toContain('quarrington');
  });

  it('a quick user switch from the lock screen signs the other user in', async () => {
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: false, core: { clock } });
    const { page, core } = ws;
    await signInPage(page, core, 'nurse');
    const clinician = await signInAs(core, 'clinician', 'other-window');
    await core.invoke('auth.signOut', {}, { senderId: 'other-window' });
    clock.advance(30_000);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('lock-screen').waitFor();
    await page.getByRole('button', { name: 'Switch user' }).click();
    await page.getByLabel('Username').fill(clinician.username);
    await page.getByLabel('Password', { exact: true }).fill(clinician.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByLabel('Code from your authenticator app')
      .fill(await currentTotp(clinician.totpSecret!, clock));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('session-bar').textContent()).toContain('(clinician)');
  });
});

describe('administration screens', () => {
  it('creates a staff account, switches it off, finds it in the audit trail and exports the trail', async () => {
    ws = await startWorkstation({ signIn: 'admin', route: 'admin' });
    const { page } = ws;
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByLabel('Username').fill('nina.nurse');
    await page.getByLabel('Full name').fill('Nina Nurse');
    await page.getByLabel('Role', { exact: true }).selectOption('nurse');
    await page.getByLabel('Temporary password (at least 12 characters)').fill('nina first password');
    await page.getByRole('button', { name: 'Create account' }).click();
    const row = page.getByRole('row', { name: /nina\.nurse/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Not yet');
    expect(await row.textContent()).toContain('Active · to choose own password');
    await row.getByRole('button', { name: 'Switch off' }).click();
    await page.getByTestId('confirm-account-change').getByRole('button', { name: 'Switch off' }).click();
    await expect.poll(() => row.textContent()).toContain('Switched off');

    await page.getByLabel('Action').fill('users.update');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByTestId('audit-table').textContent()).toContain('disabled');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    await ws.screenshot('auth-admin-users-audit');
  });
});
