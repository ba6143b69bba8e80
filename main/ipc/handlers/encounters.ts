import type { encounterChannels } from '../../../shared/ipc/channels/encounters';
import { AppError } from '../../../shared/ipc/errors';
import { checkVideoLink } from '../../../shared/visit/video-link';
import type { EncounterRepository } from '../../db/repositories/encounters';
import type { CallContext, Handlers } from '../dispatcher';

export function createEncounterHandlers(deps: {
  encounters: () => EncounterRepository;
  /** The signed-in user's id, recorded as who started the visit. */
  actorOf: (context: CallContext) => string;
}): Pick<Handlers, keyof typeof encounterChannels> {
  /**
   * Only a secure link is kept: https, no credentials (never javascript: or data:). IT's host list is
   * applied when the link is opened (visits.openVideoLink), so a link kept before the list changed is
   * refused then too; the screens warn about an unlisted host as it is typed.
   */
  const checkedLink = (joinUrl: string): string => {
    const checked = checkVideoLink(joinUrl);
    if (!checked.ok)
      throw new AppError('VALIDATION', checked.reason, [{ path: 'joinUrl', message: checked.reason }]);
    return checked.url;
  };
  return {
    'encounters.start': (request, context) =>
      deps
        .encounters()
        .startEncounter(
          request.joinUrl === undefined ? request : { ...request, joinUrl: checkedLink(request.joinUrl) },
          deps.actorOf(context),
        ),
    'encounters.setVideoLink': ({ encounterId, joinUrl }) =>
      deps.encounters().setVideoLink(encounterId, checkedLink(joinUrl)),
    'encounters.finish': ({ encounterId }, context) =>
      deps.encounters().finishEncounter(encounterId, deps.actorOf(context)),
    'encounters.current': ({ patientId }) => deps.encounters().currentEncounter(patientId),
  };
}
