import type { Patient } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEMS } from './identifiers';
import type { PatientRecord } from './records';

export interface PatientMappingOptions {
  /** The clinic's MRN identifier system; defaults to urn:vitals-desk:mrn. */
  readonly mrnSystem?: string | undefined;
  /** The clinic's identifier systems for measurements and visits (defaults: Vitals Desk's own urns). */
  readonly observationSystem?: string | undefined;
  readonly encounterSystem?: string | undefined;
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

/**
 * A corrected patient as the server should hold it: the server's resource (its id, other identifiers,
 * addresses, contacts, links...) with what this workstation knows replaced: the official name (or the
 * first, if none is marked official), gender, birth date, and the phone and email contact points. Other
 * names and contact points (fax, pager, a work number kept elsewhere) stay.
 */
export function applyPatientCorrection(
  server: Patient,
  patient: PatientRecord,
  options: PatientMappingOptions = {},
): Patient {
  const ours = toFhirPatient(patient, options);
  const names = [...(server.name ?? [])];
  const officialAt = names.findIndex((n) => n.use === 'official');
  const replaceAt = officialAt >= 0 ? officialAt : names.length > 0 ? 0 : -1;
  const name = { ...(replaceAt >= 0 ? names[replaceAt] : {}), ...ours.name?.[0] };
  delete name.text;
  if (replaceAt >= 0) names[replaceAt] = name;
  else names.push(name);
  const telecom = [
    ...(server.telecom ?? []).filter((t) => t.system !== 'phone' && t.system !== 'email'),
    ...(ours.telecom ?? []),
  ];
  const { telecom: _dropped, ...rest } = server;
  return {
    ...rest,
    name: names,
    gender: ours.gender,
    birthDate: ours.birthDate,
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}
