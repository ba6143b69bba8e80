/**
 * Signs the real renderer in through its own screens: the account is created by the first
 * administrator (through the core, as the admin screen would) with a temporary password, then the page
 * signs in with it, chooses its own password, and enrols its authenticator by reading the key off the enrolment screen and typing
 * the code a phone would show at the core's clock.
 */
import type { Page } from 'playwright-core';
import type { Core } from '../../main/core';
import { currentTotp } from '../../main/auth/totp';
import type { Role } from '../../shared/ipc/contract';
import { firstAdmin, TEMPORARY_PASSWORD, TEST_PASSWORD } from '../support/session';

let counter = 0;

export interface PageAccount {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  totpSecret: string | null;
}

/**
 * A new account created by the first administrator with TEMPORARY_PASSWORD; `password` is the one the
 * account chooses at its first sign-in (signInPage does that through the screen).
 */
export async function createAccount(
  core: Core,
  role: Role,
  displayName?: string,
): Promise<Omit<PageAccount, 'totpSecret'>> {
  const admin = await firstAdmin(core);
  counter += 1;
  const account = {
    username: `e2e.${role}.${counter}`,
    password: TEST_PASSWORD,
    displayName: displayName ?? `E2E ${role} ${counter}`,
    role,
  };
  const created = await core.invoke(
    'users.create',
    { username: account.username, displayName: account.displayName, role, password: TEMPORARY_PASSWORD },
    { senderId: admin.senderId },
  );
  if (!created.ok) throw new Error(`users.create: ${created.error.message}`);
  return account;
}

/** Fills the sign-in form (and the code step, when asked) on the page. */
export async function fillSignIn(page: Page, core: Core, account: PageAccount): Promise<void> {
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (account.totpSecret) {
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    await code.fill(await currentTotp(account.totpSecret, core.clock));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}

/** A new account with `role`, signed in at `page` through the UI; two-factor enrolled when policy asks. */
export async function signInPage(
  page: Page,
  core: Core,
  role: Role,
  displayName?: string,
): Promise<PageAccount> {
  // The page must be up (its first screen shown, so it listens for auth.changed) before the accounts
  // appear; otherwise it can miss the change and stay on first-run setup.
  await page
    .getByRole('heading', { name: 'Set up Vitals Desk' })
    .or(page.getByRole('heading', { name: 'Sign in to Vitals Desk' }))
    .first()
    .waitFor();
  const account: PageAccount = { ...(await createAccount(core, role, displayName)), totpSecret: null };
  await page.getByRole('heading', { name: 'Sign in to Vitals Desk' }).waitFor();
  await fillSignIn(page, core, { ...account, password: TEMPORARY_PASSWORD });
  // A password an administrator set is replaced first.
  await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
  await page.getByLabel('Password you were given').fill(TEMPORARY_PASSWORD);
  await page.getByLabel('New password (at least 12 characters)').fill(account.password);
  await page.getByLabel('New password again').fill(account.password);
  await page.getByRole('button', { name: 'Save my password' }).click();
  const enrol = page.getByRole('heading', { name: 'Set up two-step sign-in' });
  const session = page.getByTestId('session-bar');
  await enrol.or(session).first().waitFor();
  if (await enrol.isVisible()) {
    const secret = page.getByTestId('totp-secret');
    await secret.waitFor();
    account.totpSecret = (await secret.textContent())!.trim();
    await page.getByLabel('Enter the 6-digit code').fill(await currentTotp(account.totpSecret, core.clock));
    await page.getByRole('button', { name: 'Confirm' }).click();
  }
  await session.waitFor();
  return account;
}

/**
 * Switches user from the lock screen: username and password, then, for an account with an
 * authenticator, the code a phone shows 30 s later on the core's clock (a code is not taken twice).
 */
export async function switchUserAtLock(
  page: Page,
  clock: { advance(ms: number): void; now(): Date },
  who: { username: string; password: string; totpSecret?: string | null },
): Promise<void> {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (who.totpSecret) {
    clock.advance(30_000);
    await page.getByLabel('Code from your authenticator app').fill(await currentTotp(who.totpSecret, clock));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}
