/**
 * A nurse changes her own password on the Settings screen of the real renderer (real core behind the
 * bridge), sees her mistakes next to the fields, and signs in again with the new password.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import { signInAs, TEST_PASSWORD } from '../support/session';
import { call } from '../support/core';
import { startWorkstation, type Workstation } from './harness';
import { fillSignIn } from './sign-in';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const NEW_PASSWORD = 'violet morning tea kettle';

describe('changing your own password', () => {
  it('refuses a mismatch and a wrong current password, then changes it for the next sign-in', async () => {
    // A clock the test moves, so the second sign-in's code belongs to a later 30-second step.
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: 'nurse', route: 'settings', core: { clock } });
    const { page, core } = ws;
    const panel = page.getByRole('region', { name: 'Your password' });
    await panel.waitFor();

    await panel.getByLabel('Current password').fill(TEST_PASSWORD);
    await panel.getByLabel('New password (at least 12 characters)').fill(NEW_PASSWORD);
    await panel.getByLabel('New password again').fill('violet morning tea kettel');
    await panel.getByRole('button', { name: 'Change password' }).click();
    expect(await panel.getByText('The two new passwords are not the same.').isVisible()).toBe(true);

    await panel.getByLabel('Current password').fill('not the password');
    await panel.getByLabel('New password again').fill(NEW_PASSWORD);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await panel.getByText('Your current password is not right, so it was not changed.').waitFor();
    expect(await panel.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await ws.screenshot('settings-password-wrong-current');
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);

    await panel.getByLabel('Current password').fill(TEST_PASSWORD);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('password-changed').waitFor();
    expect(await page.getByTestId('password-changed').textContent()).toBe(
      'Your password was changed. Use the new one from now on.',
    );
    // The form forgets what was typed.
    expect(await panel.getByLabel('Current password').inputValue()).toBe('');
    await ws.screenshot('settings-password-changed');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
    const account = ws.account!;
    // The old password is refused before any code is asked for.
    await fillSignIn(page, core, { ...account, password: TEST_PASSWORD, totpSecret: null });
    await page.getByText('The username or password is not right. Please try again.').waitFor();
    clock.advance(30_000);
    await fillSignIn(page, core, { ...account, password: NEW_PASSWORD });
    await page.getByTestId('session-bar').waitFor();
    expect(await page.getByTestId('session-bar').textContent()).toContain(account.displayName);
  });

  it('an administrator resets a forgotten password; the nurse signs in with it and must choose her own', async () => {
    const clock = manualClock(new Date('2026-04-01T09:00:10Z'));
    ws = await startWorkstation({ signIn: 'admin', route: 'admin', core: { clock } });
    const { page, core } = ws;
    const nurse = await signInAs(core, 'nurse', 'elsewhere');
    await call(core, 'elsewhere', 'auth.signOut', {});
    await page.reload();
    const row = page
      .getByRole('region', { name: 'Staff accounts' })
      .getByRole('row', { name: nurse.username });
    await row.getByRole('button', { name: 'Reset password' }).click();
    const form = page.getByRole('form', { name: `Reset the password of ${nurse.username}` });
    await form.getByLabel('Temporary password (at least 12 characters)').fill('short');
    await form.getByRole('button', { name: 'Set temporary password' }).click();
    await form.getByText('A password has at least 12 characters.').waitFor();
    await form.getByLabel('Temporary password (at least 12 characters)').fill('given at the desk 0930');
    await form.getByRole('button', { name: 'Set temporary password' }).click();
    await page
      .getByText(
        `${nurse.username} signs in with the temporary password, then chooses their own. Give it to them in person.`,
      )
      .waitFor();
    await expect.poll(() => row.textContent()).toContain('to choose own password');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
    clock.advance(30_000);
    await fillSignIn(page, core, { ...nurse, displayName: '', password: 'given at the desk 0930' });
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    // No way round it: the app is not there until the password is hers.
    expect(await page.getByTestId('session-bar').count()).toBe(0);
    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await ws.screenshot('sign-in-choose-own-password');
    await page.getByLabel('Password you were given').fill('given at the desk 0930');
    await page.getByLabel('New password (at least 12 characters)').fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save my password' }).click();
    await page.getByTestId('session-bar').waitFor();
    expect(await page.getByTestId('session-bar').textContent()).toContain('nurse');
    // The temporary password no longer signs in.
    const again = await core.invoke(
      'auth.signIn',
      { username: nurse.username, password: 'given at the desk 0930' },
      { senderId: 'third-window' },
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
