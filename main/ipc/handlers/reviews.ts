import { anyRed, DEFAULT_BP_GUIDELINE, type BpGuideline } from '../../../shared/clinical/guidelines';
import { AppError } from '../../../shared/ipc';
import type { reviewChannels } from '../../../shared/ipc/channels/reviews';
import { latestByKind } from '../../../shared/records';
import { reviewFlags } from '../../../shared/visit/review-flags';
import { checkVideoLink, type VideoHostRule } from '../../../shared/visit/video-link';
import type { EncounterRepository } from '../../db/repositories/encounters';
import type { ObservationRepository } from '../../db/repositories/observations';
import type { PatientRepository } from '../../db/repositories/patients';
import type { ReviewRepository, Signer } from '../../db/repositories/reviews';
import type { Database } from '../../db/connection';
import type { Clock } from '../../platform/clock';
import type { CallContext, Handlers } from '../dispatcher';
import { pdfFooterTemplate, pdfPageCount, type ReviewHost } from './review-host';

export function createReviewHandlers(deps: {
  reviews: () => ReviewRepository;
  encounters: () => EncounterRepository;
  patients: () => PatientRepository;
  observations: () => ObservationRepository;
  /** IT's policy for the review: the BP guideline (default ACC/AHA 2017) and the video hosts. */
  rules: () => { bpGuideline?: BpGuideline | undefined; videoLinkHosts?: VideoHostRule | undefined };
  /** The window's host; null until the Electron shell or the Chromium host attaches one. */
  host: () => ReviewHost | null;
  clock: Clock;
  /** The open database, for the one read the repositories do not offer (withdrawn values). */
  db: () => Database;
  /** The signed-in clinician of the calling window (the authorizer has already checked the role). */
  signerOf: (context: CallContext) => Signer;
}): Pick<Handlers, keyof typeof reviewChannels> {
  const bpGuideline = () => deps.rules().bpGuideline ?? DEFAULT_BP_GUIDELINE;
  const videoHosts = (): VideoHostRule => deps.rules().videoLinkHosts ?? [];
  const host = (): ReviewHost => {
    const h = deps.host();
    if (!h) throw new AppError('UNAVAILABLE', 'This window cannot print or open links.');
    return h;
  };
  return {
    'reviews.signOff': ({ encounterId, comment }, context) => {
      // A red flag needs the clinician's note: checked here too, so no window can skip it.
      const encounter = deps.encounters().getEncounter(encounterId);
      const latest = latestByKind(deps.observations().latestVitals(encounter.patientId));
      const red = reviewFlags(latest, bpGuideline()).filter((f) => f.level === 'red');
      if (anyRed(red) && !comment?.trim()) {
        throw new AppError(
          'VALIDATION',
          `Write a review note: ${red.map((f) => `${f.category} (${f.guideline})`).join(', ')} is flagged red.`,
        );
      }
      return deps.reviews().signOff({ encounterId, comment }, deps.signerOf(context));
    },
    'reviews.list': ({ encounterId }) => deps.reviews().listReviews(encounterId),
    'reviews.visitsInProgress': () =>
      deps
        .reviews()
        .visitsInProgress()
        .map(({ encounterId, lastReviewedAt }) => {
          const encounter = deps.encounters().getEncounter(encounterId);
          return { encounter, patient: deps.patients().getPatient(encounter.patientId), lastReviewedAt };
        }),
    'reviews.withdrawn': ({ patientId }) => {
      // The chart's "Show all": the history channel answers current values only, so withdrawn ones are
      // found by id here and read through the repository (same mapping, same checks).
      const rows = deps
        .db()
        .prepare(
          "SELECT id FROM observations WHERE patient_id = ? AND status = 'entered-in-error' ORDER BY effective_at",
        )
        .all(patientId) as { id: string }[];
      return rows.map((r) => deps.observations().getObservation(r.id));
    },
    'reviews.rules': () => ({
      bpGuideline: bpGuideline(),
      videoLinkHosts: videoHosts() === 'none' ? 'none' : [...videoHosts()],
    }),
    'visits.openVideoLink': async ({ encounterId }, context) => {
      const encounter = deps.encounters().getEncounter(encounterId);
      if (!encounter.joinUrl) throw new AppError('NOT_FOUND', 'This visit has no video link.');
      const checked = checkVideoLink(encounter.joinUrl, videoHosts());
      if (!checked.ok) throw new AppError('VALIDATION', checked.reason);
      await host().openExternal(checked.url, context.senderId);
      return { host: checked.host };
    },
    'reviews.printSummary': async ({ patientId, encounterId }, context) => {
      // The patient (and visit) must exist; the window prints what it shows of them.
      const patient = deps.patients().getPatient(patientId);
      if (encounterId && deps.encounters().getEncounter(encounterId).patientId !== patientId)
        throw new AppError('VALIDATION', 'This visit belongs to another patient.');
      const signer = deps.signerOf(context);
      const at = deps.clock.now();
      const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(at);
      const stamp = at.toISOString().slice(0, 16).replace(/[-:T]/g, '');
      const { savedTo, pdf } = await host().printToPdf(context.senderId, {
        footerTemplate: pdfFooterTemplate(
          `${signer.displayName} (${signer.role})`,
          when,
          `${patient.family.toUpperCase()}, ${patient.given} · born ${patient.birthDate} · MRN ${patient.mrn}`,
        ),
        fileName: `visit-summary-${stamp}.pdf`,
      });
      return { savedTo, pages: pdfPageCount(pdf) };
    },
  };
}
