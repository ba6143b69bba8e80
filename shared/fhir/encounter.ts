import type { Encounter, Group, Patient, Reference } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEMS, SNOMED_SYSTEM } from './identifiers';
import type { EncounterRecord } from './records';

/**
 * FHIR R4 Encounter for a telemedicine visit: class VR "virtual" (v3 ActCode, encounter.html
 * Encounter.class binding), type SNOMED CT 448337001 "Telemedicine consultation with patient".
 */
export function toFhirEncounter(
  encounter: EncounterRecord,
  subject: Reference<Patient | Group>,
  /** The clinic's identifier system for visits (default urn:vitals-desk:encounter). */
  system: string = IDENTIFIER_SYSTEMS.encounter,
): Encounter {
  return {
    resourceType: 'Encounter',
    identifier: [{ system, value: encounter.id }],
    status: encounter.status ?? (encounter.endedAt ? 'finished' : 'in-progress'),
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
    type: [
      {
        coding: [
          { system: SNOMED_SYSTEM, code: '448337001', display: 'Telemedicine consultation with patient' },
        ],
        text: 'Telemedicine visit',
      },
    ],
    subject,
    period: { start: encounter.startedAt, ...(encounter.endedAt ? { end: encounter.endedAt } : {}) },
  };
}
