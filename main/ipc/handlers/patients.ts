import type { patientChannels } from '../../../shared/ipc/channels/patients';
import type { PatientRepository } from '../../db/repositories/patients';
import type { Handlers } from '../dispatcher';

export function createPatientHandlers(deps: {
  /** The repository, or throws the AppError saying why the database is not open. */
  patients: () => PatientRepository;
}): Pick<Handlers, keyof typeof patientChannels> {
  return {
    'patients.search': (request) => deps.patients().findPatients(request),
    'patients.register': (request) => deps.patients().registerPatient(request),
    'patients.recent': ({ limit }) => deps.patients().recentPatients(limit),
    'patients.get': ({ patientId }) => deps.patients().getPatient(patientId),
  };
}
