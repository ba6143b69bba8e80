/** What staff are told when sign-in or an account change is refused: one sentence each, in one place. */
import type { SessionStage } from './sessions';

export const AUTH_MESSAGES = {
  wrongCredentials: 'The username or password is not right. Please try again.',
  wrongCode: 'That code is not right, or it was already used. Please enter the code the app shows now.',
  disabled: "This account is switched off. Please ask the clinic's administrator.",
  noAccounts: 'No staff account exists yet. Please create the first administrator.',
  setupDone: 'The first administrator already exists. Please sign in.',
  notSignedIn: 'Please sign in first.',
  enrolFirst: 'Please finish setting up two-step sign-in first.',
  choosePasswordFirst: 'Please choose your own password first.',
  locked: 'The screen is locked. Please unlock it to continue.',
  usernameTaken: 'That username is already taken. Please choose another.',
  noSuchUser: 'That staff account was not found.',
  lastAdmin: 'The clinic must keep at least one active administrator, so this change was not made.',
  noEnrolment: 'Please start two-step sign-in setup again: no setup is in progress.',
  alreadyEnrolled:
    "Two-step sign-in is already set up for this account. To set it up again, ask the clinic's administrator to reset it.",
  tooMany: (wait: string) => `Too many attempts with this account. Please wait ${wait} and try again.`,
  forbidden: 'Your role does not allow this.',
  wrongCurrentPassword: 'Your current password is not right, so it was not changed.',
  clockBehind:
    "This computer's clock is behind the time of the last code used with this account, so no code can be checked. Please ask IT to correct the clock.",
  samePassword: 'The new password is the same as the current one. Please choose a different one.',
  changedMeanwhile:
    'Your sign-in details were changed while this was being saved, so nothing was changed. Please try again.',
} as const;

/** What a session still at a sign-in step is told when it asks for anything else. */
export const UNFINISHED_STEP: Record<Exclude<SessionStage, 'active'>, string> = {
  'password-change-required': AUTH_MESSAGES.choosePasswordFirst,
  'enrolment-required': AUTH_MESSAGES.enrolFirst,
};
