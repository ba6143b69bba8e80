/**
 * Why a record could not be turned into FHIR, or a FHIR resource into a record. The message is a sentence
 * for the sync status panel; it never contains a patient's name, MRN or a clinical value.
 */
export class FhirMappingError extends Error {
  readonly path: string;
  constructor(message: string, path = '') {
    super(message);
    this.name = 'FhirMappingError';
    this.path = path;
  }
}
