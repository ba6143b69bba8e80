/**
 * Signs a test window in through the real flow: the first administrator is created by first-run setup
 * and enrols an authenticator; every other account is created by that administrator and enrols its own
 * at its first sign-in. Codes are computed from the secret at the core's clock, like a phone would.
 */
import type { Core } from '../../main/core';
import { currentTotp } from '../../main/auth/totp';
import { call } from './core';
import type { Role } from '../../shared/ipc/contract';

export const SETUP_SENDER = 'test-setup-admin';
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestAccount {
  userId: string;
  username: string;
  password: string;
  role: Role;
  senderId: string;
  /** Base32 TOTP secret, or null when the policy does not require two-factor. */
  totpSecret: string | null;
}

const admins = new WeakMap<Core, TestAccount>();
let counter = 0;

type SignInAnswer = {
  result: 'signed-in' | 'password-change-required' | 'enrolment-required' | 'two-factor-required';
};

/** The password an administrator gives a new account; the account replaces it at its first sign-in. */
export const TEMPORARY_PASSWORD = 'temporary password from the admin';

/** Enrols an authenticator for the window's pending session and confirms it with a computed code. */
export async function enrol(
  core: Core,
  senderId: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrolment = await call<{ secret: string; recoveryCodes: string[] }>(
    core,
    senderId,
    'auth.enrolTotp',
    {},
  );
  await call(core, senderId, 'auth.confirmTotp', { code: await currentTotp(enrolment.secret, core.clock) });
  return enrolment;
}

/** The first administrator, created by first-run setup (once per core), signed in on SETUP_SENDER. */
export async function firstAdmin(core: Core): Promise<TestAccount> {
  const known = admins.get(core);
  if (known) return known;
  const username = 'first.admin';
  const answer = await call<SignInAnswer & { status: { user: { id: string } } }>(
    core,
    SETUP_SENDER,
    'auth.setupFirstAdmin',
    { username, displayName: 'First Admin', password: TEST_PASSWORD },
  );
  const secret = answer.result === 'enrolment-required' ? (await enrol(core, SETUP_SENDER)).secret : null;
  const account: TestAccount = {
    userId: answer.status.user.id,
    username,
    password: TEST_PASSWORD,
    role: 'admin',
    senderId: SETUP_SENDER,
    totpSecret: secret,
  };
  admins.set(core, account);
  return account;
}

/**
 * A fresh account with `role`, signed in (own password chosen, two-factor enrolled when policy requires
 * it) at `senderId`.
 * Each call makes a new account, so no TOTP code is ever used twice.
 */
export async function signInAs(core: Core, role: Role, senderId = `test-${role}`): Promise<TestAccount> {
  const admin = await firstAdmin(core);
  counter += 1;
  const username = `test.${role}.${counter}`;
  const created = await call<{ id: string }>(core, admin.senderId, 'users.create', {
    username,
    displayName: `Test ${role} ${counter}`,
    role,
    password: TEMPORARY_PASSWORD,
  });
  let answer = await call<SignInAnswer>(core, senderId, 'auth.signIn', {
    username,
    password: TEMPORARY_PASSWORD,
  });
  if (answer.result === 'password-change-required') {
    // As the first sign-in screen makes every new account do.
    await call(core, senderId, 'auth.changePassword', {
      currentPassword: TEMPORARY_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    answer = {
      result:
        (await call<{ state: string }>(core, senderId, 'auth.status', {})).state === 'enrolment-required'
          ? 'enrolment-required'
          : 'signed-in',
    };
  }
  const secret = answer.result === 'enrolment-required' ? (await enrol(core, senderId)).secret : null;
  return { userId: created.id, username, password: TEST_PASSWORD, role, senderId, totpSecret: secret };
}
