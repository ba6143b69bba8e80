import type { encounterChannels } from '../../../shared/ipc/channels/encounters';
import type { EncounterRepository } from '../../db/repositories/encounters';
import type { CallContext, Handlers } from '../dispatcher';

export function createEncounterHandlers(deps: {
  encounters: () => EncounterRepository;
  /** The signed-in user's id, recorded as who started the visit. */
  actorOf: (context: CallContext) => string;
}): Pick<Handlers, keyof typeof encounterChannels> {
  return {
    'encounters.start': (request, context) =>
      deps.encounters().startEncounter(request, deps.actorOf(context)),
    'encounters.finish': ({ encounterId }, context) =>
      deps.encounters().finishEncounter(encounterId, deps.actorOf(context)),
    'encounters.current': ({ patientId }) => deps.encounters().currentEncounter(patientId),
  };
}
