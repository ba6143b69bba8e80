import { z } from 'zod';
import { channel, event, roleSchema } from '../contract';

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'A username has at least 3 characters.')
  .max(40, 'A username has at most 40 characters.')
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dots, dashes or underscores only.');

/** The shortest password a user may choose or an administrator may set. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Length only: NIST SP 800-63B §5.1.1.2 advises against composition rules. Main also refuses the most
 * common passwords (main/auth/password-rules.ts), a list too large to ship to the screens.
 */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `A password has at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(256, 'A password has at most 256 characters.');

/** A password being checked: any length up to the maximum, so a too-short guess is just wrong. */
const passwordSchema = z.string().min(1, 'Enter your password.').max(256);
const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'The code from the authenticator app has 6 digits.');
const recoveryCodeSchema = z.string().trim().min(10).max(20);

export const signedInUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type SignedInUser = z.infer<typeof signedInUserSchema>;

export const authStateSchema = z.enum([
  /** No account exists yet: the first admin must be created. */
  'setup-required',
  'signed-out',
  /** Password accepted, but it was set by an administrator: the user must choose their own first. */
  'password-change-required',
  /** Password accepted, but the clinic requires two-factor and this account has not enrolled yet. */
  'enrolment-required',
  'signed-in',
  /** Signed in, but the screen is locked (idle or by hand): nothing with PHI may be called. */
  'locked',
]);
export type AuthState = z.infer<typeof authStateSchema>;

export const authStatusSchema = z.object({
  state: authStateSchema,
  user: signedInUserSchema.nullable(),
  twoFactorEnrolled: z.boolean(),
  /** When locked: whether unlocking also needs a code (the session's last code is older than policy allows). */
  unlockNeedsTwoFactor: z.boolean(),
  /** While signed in and unlocked: how long until the idle lock, by main's clock (for the 30 s warning). */
  idleLockInMs: z.number().nonnegative().optional(),
  policy: z.object({ requireTwoFactor: z.boolean(), idleLockMinutes: z.number() }),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

/** The answer to a sign-in or unlock: done, or which step is still needed. */
export const signInResultSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('signed-in'), status: authStatusSchema }),
  /** Password right; now the 6-digit code (or a recovery code) is needed. Send everything again with it. */
  z.object({ result: z.literal('two-factor-required') }),
  /** Password right, but an administrator set it: the account must choose its own before anything else. */
  z.object({ result: z.literal('password-change-required'), status: authStatusSchema }),
  /** Password right; the account must enrol an authenticator before doing anything else. */
  z.object({ result: z.literal('enrolment-required'), status: authStatusSchema }),
]);
export type SignInResult = z.infer<typeof signInResultSchema>;

export const authChannels = {
  'auth.status': channel({
    summary: 'Who is signed in at this window, whether it is locked, and the sign-in policy',
    audit: { action: 'R', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z.object({}).strict(),
    response: authStatusSchema,
  }),
  'auth.setupFirstAdmin': channel({
    summary: 'First run: create the first administrator account (refused once any account exists)',
    audit: { action: 'C', event: 'security-attributes' },
    access: 'public',
    phi: 'none',
    request: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(1).max(80),
        password: newPasswordSchema,
      })
      .strict(),
    response: signInResultSchema,
  }),
  'auth.signIn': channel({
    summary: 'Sign in with username and password, plus the authenticator code or a recovery code',
    audit: { action: 'E', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z
      .object({
        username: z.string().trim().min(1).max(40),
        password: passwordSchema,
        totp: totpCodeSchema.optional(),
        recoveryCode: recoveryCodeSchema.optional(),
      })
      .strict(),
    response: signInResultSchema,
  }),
  'auth.signOut': channel({
    summary: 'Sign out of this window',
    audit: { action: 'E', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z.object({}).strict(),
    response: authStatusSchema,
  }),
  'auth.lock': channel({
    summary: 'Lock the screen now (the user stays signed in)',
    audit: { action: 'E', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z.object({}).strict(),
    response: authStatusSchema,
  }),
  'auth.unlock': channel({
    summary: "Unlock the screen with the signed-in user's password (and code when policy requires)",
    audit: { action: 'E', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z
      .object({
        password: passwordSchema,
        totp: totpCodeSchema.optional(),
        recoveryCode: recoveryCodeSchema.optional(),
      })
      .strict(),
    response: signInResultSchema,
  }),
  'auth.enrolTotp': channel({
    summary: 'Start two-factor enrolment: a new authenticator secret, its QR code and ten recovery codes',
    audit: { action: 'U', event: 'security-attributes' },
    access: 'public',
    phi: 'none',
    request: z.object({}).strict(),
    response: z.object({
      otpauthUrl: z.string(),
      qrDataUrl: z.string().startsWith('data:image/png;base64,'),
      /** The secret in Base32 for typing in by hand when the camera cannot scan. */
      secret: z.string(),
      /** Shown once; only their hashes are kept. */
      recoveryCodes: z.array(z.string()),
    }),
  }),
  'auth.confirmTotp': channel({
    summary: 'Finish two-factor enrolment with the first code the authenticator shows',
    audit: { action: 'U', event: 'security-attributes' },
    access: 'public',
    phi: 'none',
    request: z.object({ code: totpCodeSchema }).strict(),
    response: authStatusSchema,
  }),
  'auth.changePassword': channel({
    summary: 'Change your own password: the current one, then the new one (other windows of yours sign out)',
    // Public like the enrolment channels: an account told to choose its own password is not yet fully
    // signed in; the service itself requires a session, unlocked, at this step or done with sign-in.
    audit: { action: 'U', event: 'security-attributes' },
    access: 'public',
    phi: 'none',
    request: z
      .object({
        currentPassword: passwordSchema,
        newPassword: newPasswordSchema,
      })
      .strict(),
    response: z.object({ signedOutElsewhere: z.number().int().min(0) }),
  }),
  'auth.activity': channel({
    summary: 'The user is active at this window (keyboard, mouse): postpones the idle lock',
    audit: { action: 'E', event: 'user-authentication' },
    access: 'public',
    phi: 'none',
    request: z.object({}).strict(),
    response: z.object({ state: authStateSchema }),
  }),
} as const;

export const authEvents = {
  'auth.changed': event({
    access: 'public',
    summary: 'A window was signed in, signed out, locked or unlocked: each renderer asks auth.status again',
    payload: z.object({ reason: z.enum(['signed-in', 'signed-out', 'locked', 'unlocked']) }),
  }),
} as const;
