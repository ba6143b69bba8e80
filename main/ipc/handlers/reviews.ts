import type { reviewChannels } from '../../../shared/ipc/channels/reviews';
import type { EncounterRepository } from '../../db/repositories/encounters';
import type { PatientRepository } from '../../db/repositories/patients';
import type { ReviewRepository, Signer } from '../../db/repositories/reviews';
import type { CallContext, Handlers } from '../dispatcher';

export function createReviewHandlers(deps: {
  reviews: () => ReviewRepository;
  encounters: () => EncounterRepository;
  patients: () => PatientRepository;
  /** The signed-in clinician of the calling window (the authorizer has already checked the role). */
  signerOf: (context: CallContext) => Signer;
}): Pick<Handlers, keyof typeof reviewChannels> {
  return {
    'reviews.signOff': ({ encounterId, comment }, context) =>
      deps.reviews().signOff({ encounterId, comment }, deps.signerOf(context)),
    'reviews.list': ({ encounterId }) => deps.reviews().listReviews(encounterId),
    'reviews.visitsInProgress': () =>
      deps
        .reviews()
        .visitsInProgress()
        .map(({ encounterId, lastReviewedAt }) => {
          const encounter = deps.encounters().getEncounter(encounterId);
          return { encounter, patient: deps.patients().getPatient(encounter.patientId), lastReviewedAt };
        }),
  };
}
