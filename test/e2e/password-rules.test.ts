/**
 * An administrator gives a new account a common password on the Staff accounts screen: main refuses it,
 * the screen says why next to the field, and no account is made; a password of a few unrelated words
 * is taken.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('password rules on screen', () => {
  it('refuses a common temporary password with the reason, then accepts a passphrase', async () => {
    ws = await startWorkstation({ signIn: 'admin', route: 'admin' });
    const { page } = ws;
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByLabel('Username').fill('omar.nurse');
    await page.getByLabel('Full name').fill('Omar Nurse');
    await page.getByLabel('Role', { exact: true }).selectOption('nurse');
    const password = page.getByLabel('Temporary password (at least 12 characters)');
    await password.fill('Password2024!');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('That password is one of the most common ones').first().waitFor();
    expect(await page.getByRole('row', { name: /omar\.nurse/ }).count()).toBe(0);
    await ws.screenshot('admin-common-password-refused');

    await password.fill('lantern orchard seven');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('row', { name: /omar\.nurse/ }).waitFor();
  });
});
