import type { homeDataChannels } from '../../../shared/ipc/channels/home-data';
import { AppError } from '../../../shared/ipc';
import type { AuditActor } from '../../audit/recorder';
import type { homeEcgRepository } from '../../db/repositories/home-ecgs';
import type { HomeObservationRepository } from '../../db/repositories/home-observations';
import type { HomeImportService } from '../../import/home-import-service';
import type { CallContext, Handlers } from '../dispatcher';

/** The most home values one review range returns (a year of 5-minute CGM readings is about 105,000). */
export const HOME_VALUES_LIMIT = 120_000;

export function createHomeDataHandlers(deps: {
  service: HomeImportService;
  homeObservations: () => HomeObservationRepository;
  homeEcgs: () => ReturnType<typeof homeEcgRepository>;
  patientExists: (patientId: string) => boolean;
  actorOf: (senderId: string) => AuditActor;
}): Pick<Handlers, keyof typeof homeDataChannels> {
  const requirePatient = (patientId: string): void => {
    if (!deps.patientExists(patientId)) throw new AppError('NOT_FOUND', 'That patient was not found.');
  };
  /**
   * Whose files and import this is: the window and the user signed in at it. A colleague who switches
   * in at the lock screen and imports for her patient at the same window starts her own import; the
   * first nurse's preview stays hers, to import when she switches back (one import per user and window).
   */
  const deskOf = (context: CallContext): string =>
    `${context.senderId}\u0000${deps.actorOf(context.senderId).userId ?? ''}`;
  return {
    'homeData.chooseFile': async (_request, context) => ({
      file: await deps.service.chooseFile(deskOf(context)),
    }),
    'homeData.acceptDrop': async (_request, context) => {
      if (!context.droppedFile) {
        throw new AppError(
          'VALIDATION',
          'Only a file dropped on the window can be taken this way. Drop it again.',
        );
      }
      return { file: await deps.service.holdFile(deskOf(context), context.droppedFile) };
    },
    'homeData.preview': async (request, context) => {
      requirePatient(request.patientId);
      const outcome = await deps.service.preview(request, deskOf(context));
      if (outcome.status === 'needs-mapping') return outcome;
      if (outcome.status === 'cancelled') return { status: 'cancelled' };
      return {
        status: 'done',
        preview: outcome.value,
        ...(outcome.csvMapping ? { csvMapping: outcome.csvMapping } : {}),
      };
    },
    'homeData.tryMapping': async (request, context) => ({
      rows: await deps.service.tryMapping(request, deskOf(context)),
    }),
    'homeData.import': async (request, context) => {
      const actor = deps.actorOf(context.senderId);
      if (!actor.userId) throw new AppError('NOT_SIGNED_IN', 'Please sign in to continue.');
      const outcome = await deps.service.import(request, deskOf(context), {
        ...actor,
        userId: actor.userId,
      });
      return outcome.status === 'done' ? { status: 'done', result: outcome.value } : { status: 'cancelled' };
    },
    'homeData.cancel': async (request, context) => {
      await deps.service.cancel(request, deskOf(context));
      return {};
    },
    'homeData.forPatient': ({ patientId, from, to }) => {
      requirePatient(patientId);
      const repo = deps.homeObservations();
      const fromIso = new Date(from).toISOString();
      const toIso = new Date(to).toISOString();
      const observations = repo.list(patientId, { from: fromIso, to: toIso, limit: HOME_VALUES_LIMIT + 1 });
      const truncated = observations.length > HOME_VALUES_LIMIT;
      return {
        observations: truncated ? observations.slice(0, HOME_VALUES_LIMIT) : observations,
        truncated,
        sources: repo.sources(patientId),
        imports: repo.imports(patientId),
        ecgs: deps.homeEcgs().forPatient(patientId),
      };
    },
    'homeData.ecgTrace': ({ patientId, id }) => {
      requirePatient(patientId);
      const repo = deps.homeEcgs();
      const ecg = repo.find(patientId, id);
      const samples = ecg && repo.samples(patientId, id);
      if (!ecg || !samples) throw new AppError('NOT_FOUND', 'That ECG was not found for this patient.');
      // Stored as 32-bit floats; three decimals (the file's own precision) keep the answer small.
      const microvolts = Array.from(samples, (v) => Math.round(v * 1000) / 1000);
      return { ecg, microvolts };
    },
  };
}
