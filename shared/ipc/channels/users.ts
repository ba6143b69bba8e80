import { z } from 'zod';
import { channel, roleSchema } from '../contract';
import { newPasswordSchema, usernameSchema } from './auth';

export const userSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  twoFactorEnrolled: z.boolean(),
  /** Signed in with a password an administrator set and not yet replaced by the user's own. */
  passwordChangeRequired: z.boolean(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export const usersChannels = {
  'users.list': channel({
    summary: 'Every staff account, for the administrator',
    audit: { action: 'R', event: 'security-attributes' },
    access: ['admin'],
    phi: 'none',
    request: z.object({}).strict(),
    response: z.array(userSummarySchema),
  }),
  'users.create': channel({
    summary: 'Create a staff account with a first password (two-factor is set up at its first sign-in)',
    audit: { action: 'C', event: 'security-attributes' },
    access: ['admin'],
    phi: 'none',
    request: z
      .object({
        username: usernameSchema,
        displayName: z.string().trim().min(1).max(80),
        role: roleSchema,
        password: newPasswordSchema,
      })
      .strict(),
    response: userSummarySchema,
  }),
  'users.update': channel({
    summary:
      "Change an account's name or role, switch it off or on, set a new password, or reset its two-factor",
    audit: { action: 'U', event: 'security-attributes' },
    access: ['admin'],
    phi: 'none',
    request: z
      .object({
        id: z.string().min(1).max(64),
        displayName: z.string().trim().min(1).max(80).optional(),
        role: roleSchema.optional(),
        disabled: z.boolean().optional(),
        password: newPasswordSchema.optional(),
        /** Forgets the authenticator and the recovery codes: the user enrols again at the next sign-in. */
        resetTwoFactor: z.literal(true).optional(),
      })
      .strict(),
    response: userSummarySchema,
  }),
} as const;
