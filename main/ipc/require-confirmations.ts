/**
 * Main's half of the second confirmation (shared/clinical/confirmation.ts): an observation with a rare
 * value, or a typed value that jumps from the patient's previous one, is refused with NEEDS_CONFIRMATION
 * unless the request carries the matching confirmation. Every path that files an observation (typed or
 * accepted from a device) calls this before saving.
 */
import {
  confirmationFindings,
  unconfirmedIssues,
  type Confirmation,
  type Measured,
} from '../../shared/clinical/confirmation';
import { AppError } from '../../shared/ipc/errors';

export function requireConfirmations(input: {
  observation: Measured & { patientId: string; effectiveAt: string; method: 'manual' | 'device' };
  confirmed: readonly Confirmation[] | undefined;
  /** This patient's newest current observation of each kind (ObservationRepository.latestVitals). */
  latestVitals: (patientId: string) => readonly (Measured & { effectiveAt: string })[];
  /** false for a correction: it is meant to differ from the value it replaces. */
  checkJumps?: boolean;
}): void {
  const { observation } = input;
  const previous = input.latestVitals(observation.patientId).find((o) => o.kind === observation.kind);
  const findings = confirmationFindings({
    next: observation,
    previous,
    at: new Date(observation.effectiveAt),
    // A device sends its unit with its value, so only typed values are checked for jumps.
    checkJumps: (input.checkJumps ?? true) && observation.method === 'manual',
  });
  const issues = unconfirmedIssues(findings, input.confirmed ?? []);
  if (issues.length > 0)
    throw new AppError('NEEDS_CONFIRMATION', issues.map((i) => i.message).join(' '), issues);
}
