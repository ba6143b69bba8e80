import {
  confirmationFindings,
  unconfirmedIssues,
  type Confirmation,
} from '../../../shared/clinical/confirmation';
import { AppError } from '../../../shared/ipc/errors';
import type { NewObservation, Observation } from '../../../shared/records';
import type { observationChannels } from '../../../shared/ipc/channels/observations';
import type { ObservationRepository } from '../../db/repositories/observations';
import type { EventBus } from '../event-bus';
import type { CallContext, Handlers } from '../dispatcher';

export function createObservationHandlers(deps: {
  observations: () => ObservationRepository;
  /** The signed-in user's id, recorded as who recorded or corrected the value. */
  actorOf: (context: CallContext) => string;
  events: EventBus;
}): Pick<Handlers, keyof typeof observationChannels> {
  // Every new version is announced, so other windows and the review screen show the current value.
  const announce = (observation: Observation): Observation => {
    deps.events.emit('observations.recorded', { patientId: observation.patientId, observation });
    return observation;
  };

  /**
   * A rare value (outer band) or, typed in, a jump from the patient's previous value is saved only with
   * the nurse's second confirmation: the screen asks, and this refuses whatever arrives without it.
   */
  const requireConfirmations = (observation: NewObservation, confirmed: readonly Confirmation[]) => {
    const previous = deps
      .observations()
      .latestVitals(observation.patientId)
      .find((o) => o.kind === observation.kind);
    const findings = confirmationFindings({
      next: observation,
      previous,
      at: new Date(observation.effectiveAt),
      checkJumps: observation.method === 'manual',
    });
    const issues = unconfirmedIssues(findings, confirmed);
    if (issues.length > 0)
      throw new AppError('NEEDS_CONFIRMATION', issues.map((i) => i.message).join(' '), issues);
  };

  return {
    'observations.record': ({ confirmed = [], ...observation }, context) => {
      requireConfirmations(observation, confirmed);
      return announce(deps.observations().recordObservation(observation, deps.actorOf(context)));
    },
    'observations.amend': ({ observationId, value, reason }, context) =>
      announce(deps.observations().amendObservation(observationId, value, reason, deps.actorOf(context))),
    'observations.enterInError': ({ observationId, reason }, context) =>
      announce(deps.observations().markEnteredInError(observationId, reason, deps.actorOf(context))),
    'observations.latest': ({ patientId }) => deps.observations().latestVitals(patientId),
    'observations.history': ({ patientId, code, from, to }) =>
      deps.observations().vitalsHistory(patientId, code, { from, to }),
    'observations.versions': ({ seriesId }) => deps.observations().observationHistory(seriesId),
  };
}
