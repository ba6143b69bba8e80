import { z } from 'zod';

/** Staff roles. Every channel names the roles that may call it; main enforces this once a user is signed in. */
export const roleSchema = z.enum(['nurse', 'clinician', 'admin']);
export type Role = z.infer<typeof roleSchema>;
export const ALL_ROLES: readonly Role[] = roleSchema.options;

/**
 * Who may call a channel:
 * - `public`: anyone, signed in or not (health, sign-in itself).
 * - a list of roles: only a signed-in user holding one of them.
 */
export type ChannelAccess = 'public' | readonly Role[];

/**
 * What a call means in the audit trail's FHIR export (AuditEvent.action and AuditEvent.type), declared
 * with the channel rather than guessed from its name:
 * - action: C create, R read, U update, D delete, E execute (FHIR R4 audit-event-action);
 * - event: `rest` a read or change of records (audit-event-type "rest"), `user-authentication` sign-in,
 *   sign-out, lock and unlock (DCM 110114), `export` data leaving the app (DCM 110106),
 *   `security-attributes` accounts and their roles or secrets (DCM 110137), `application-activity`
 *   the workstation's own configuration such as devices and settings (DCM 110100), `audit-log-used`
 *   the trail itself read or checked (DCM 110101).
 */
export interface AuditDeclaration {
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly event:
    | 'rest'
    | 'user-authentication'
    | 'export'
    | 'security-attributes'
    | 'application-activity'
    | 'audit-log-used';
}

export interface ChannelDefinition<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly access: ChannelAccess;
  /** One line for the README and for audit: what the channel does, in the clinic's words. */
  readonly summary: string;
  /**
   * Whether a call reads or writes protected health information; every 'read' or 'write' call is
   * recorded in the audit trail. Left out, it counts as 'read' on a channel only clinical roles may
   * call (auditing too much is safer than missing an access) and 'none' on one an admin may call
   * (admins see no PHI). Say it explicitly on every new channel.
   */
  readonly phi?: 'none' | 'read' | 'write';
  /** Required on every channel whose calls the audit trail can hold (checked by the contract tests). */
  readonly audit?: AuditDeclaration;
}

export interface EventDefinition<Payload extends z.ZodType = z.ZodType> {
  readonly payload: Payload;
  readonly summary: string;
  /**
   * Which windows receive it: `public` for every window; a list of roles for windows with a signed-in,
   * unlocked session of one of them (main checks at each delivery). PHI and device values go only to
   * the clinical roles.
   */
  readonly access: ChannelAccess;
}

/** Declares a request/response channel. Kept as a function so the schema types are inferred, not widened. */
export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  definition: ChannelDefinition<Req, Res>,
): ChannelDefinition<Req, Res> {
  return definition;
}

/** Declares a main → renderer event. */
export function event<Payload extends z.ZodType>(
  definition: EventDefinition<Payload>,
): EventDefinition<Payload> {
  return definition;
}
