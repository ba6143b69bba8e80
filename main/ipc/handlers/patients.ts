import type { patientChannels } from '../../../shared/ipc/channels/patients';
import type { PatientRepository } from '../../db/repositories/patients';
import type { EventBus } from '../event-bus';
import { whenSaved } from '../when-saved';
import type { CallContext, Handlers } from '../dispatcher';

export function createPatientHandlers(deps: {
  /** The repository, or throws the AppError saying why the database is not open. */
  patients: () => PatientRepository;
  /** The signed-in user's id, recorded as who corrected the details. */
  actorOf: (context: CallContext) => string;
  events: EventBus;
}): Pick<Handlers, keyof typeof patientChannels> {
  return {
    'patients.search': (request) => deps.patients().findPatients(request),
    'patients.register': (request) => deps.patients().registerPatient(request),
    'patients.recent': ({ limit }) => deps.patients().recentPatients(limit),
    'patients.get': ({ patientId }) => deps.patients().getPatient(patientId),
    'patients.correct': (request, context) => {
      const patient = deps.patients().correctPatient(request, deps.actorOf(context));
      whenSaved(context, () => deps.events.emit('patients.corrected', { patient }));
      return patient;
    },
    'patients.likelyDuplicates': (candidate) => deps.patients().likelyDuplicates(candidate),
    'patients.corrections': ({ patientId }) => deps.patients().patientCorrections(patientId),
  };
}
