/**
 * A nurse changes her own password on the Settings screen of the real renderer (real core behind the
 * bridge), sees her mistakes next to the fields, and signs in again with the new password.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../main/platform/clock';
import { TEST_PASSWORD } from '../support/session';
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
    await panel.getByLabel('New password (at least 10 characters)').fill(NEW_PASSWORD);
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
});
