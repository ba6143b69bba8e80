import type { Patient } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEMS } from './identifiers';
import type { PatientRecord } from './records';

export interface PatientMappingOptions {
  /** The clinic's MRN identifier system; defaults to urn:vitals-desk:mrn. */
  readonly mrnSystem?: string | undefined;
}

export function mrnSystemOf(options: PatientMappingOptions = {}): string {
  return options.mrnSystem ?? IDENTIFIER_SYSTEMS.mrn;
}

/** FHIR R4 Patient (patient.html): MRN as an identifier of type MR (v2-0203), name, sex, birth date, contact. */
export function toFhirPatient(patient: PatientRecord, options: PatientMappingOptions = {}): Patient {
  const telecom: NonNullable<Patient['telecom']> = [];
  if (patient.phone) telecom.push({ system: 'phone', value: patient.phone });
  if (patient.email) telecom.push({ system: 'email', value: patient.email });
  return {
    resourceType: 'Patient',
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'MR',
              display: 'Medical record number',
            },
          ],
        },
        system: mrnSystemOf(options),
        value: patient.mrn,
      },
    ],
    name: [{ use: 'official', family: patient.family, given: patient.given.split(/\s+/).filter(Boolean) }],
    gender: patient.sex,
    birthDate: patient.birthDate,
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}
