import { AppError } from '../../../shared/ipc/errors';
import type { Observation } from '../../../shared/records';
import type { observationChannels } from '../../../shared/ipc/channels/observations';
import type { ObservationRepository } from '../../db/repositories/observations';
import type { EventBus } from '../event-bus';
import { whenSaved } from '../when-saved';
import type { CallContext, Handlers } from '../dispatcher';
import { requireConfirmations } from '../require-confirmations';

export function createObservationHandlers(deps: {
  observations: () => ObservationRepository;
  /** The signed-in user's id, recorded as who recorded or corrected the value. */
  actorOf: (context: CallContext) => string;
  events: EventBus;
}): Pick<Handlers, keyof typeof observationChannels> {
  // Every new version is announced, so other windows and the review screen show the current value;
  // only once it is saved with its audit record (a rolled-back value is never shown).
  const announce = (observation: Observation, context: CallContext): Observation => {
    whenSaved(context, () =>
      deps.events.emit('observations.recorded', { patientId: observation.patientId, observation }),
    );
    return observation;
  };

  return {
    'observations.record': ({ confirmed, ...observation }, context) => {
      // Main is the only source of device provenance: a device's reading is filed by accepting it
      // (devices.accept), where main checks freshness, connection and whose it is. A value sent in is typed.
      if (observation.method === 'device' || observation.device || observation.deviceNotes)
        throw new AppError(
          'FORBIDDEN',
          'A device reading is saved only by accepting it from the device, where it is checked first. A value sent in is saved as typed in.',
        );
      // A rare value or a typed jump is saved only with the nurse's second confirmation.
      requireConfirmations({
        observation,
        confirmed,
        latestVitals: (patientId) => deps.observations().latestVitals(patientId),
      });
      return announce(deps.observations().recordObservation(observation, deps.actorOf(context)), context);
    },
    'observations.amend': ({ observationId, value, reason, confirmed }, context) => {
      // A correction is typed too: a rare corrected value needs the same second confirmation.
      const current = deps.observations().getObservation(observationId);
      requireConfirmations({
        observation: {
          ...value,
          kind: current.kind,
          patientId: current.patientId,
          effectiveAt: current.effectiveAt,
          method: 'manual',
        },
        confirmed,
        latestVitals: (patientId) => deps.observations().latestVitals(patientId),
        checkJumps: false,
      });
      return announce(
        deps.observations().amendObservation(observationId, value, reason, deps.actorOf(context)),
        context,
      );
    },
    'observations.enterInError': ({ observationId, reason }, context) =>
      announce(deps.observations().markEnteredInError(observationId, reason, deps.actorOf(context)), context),
    'observations.latest': ({ patientId }) => deps.observations().latestVitals(patientId),
    'observations.history': ({ patientId, code, from, to }) =>
      deps.observations().vitalsHistory(patientId, code, { from, to }),
    'observations.versions': ({ seriesId }) => deps.observations().observationHistory(seriesId),
    'observations.inVisit': ({ patientId, kind, encounterId }) =>
      deps.observations().valuesInVisit(patientId, kind ?? null, encounterId ?? null),
  };
}
