/**
 * Identifier systems Vitals Desk stamps on what it sends, so a retried transaction finds what an earlier
 * attempt already created (FHIR R4 http.html §3.1.0.8.1 "Conditional create", §3.1.0.4.3 "Conditional
 * update") and never creates it twice.
 */
export const IDENTIFIER_SYSTEMS = {
  /** Stable across every version of one measurement. */
  observation: 'urn:vitals-desk:observation',
  /** One value per version: `<seriesId>:v<version>`. */
  observationVersion: 'urn:vitals-desk:observation-version',
  encounter: 'urn:vitals-desk:encounter',
  device: 'urn:vitals-desk:device',
  staff: 'urn:vitals-desk:staff',
  /** Default MRN system when the clinic has not configured its own. */
  mrn: 'urn:vitals-desk:mrn',
} as const;

/** Vitals Desk's code system for the ACVPU consciousness levels (A, C, V, P, U). */
export const ACVPU_SYSTEM = 'urn:vitals-desk:acvpu';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

export function observationVersionValue(seriesId: string, version: number): string {
  return `${seriesId}:v${version}`;
}

/** A search-URL token `system|value`, escaped as FHIR search requires (http.html, search.html §3.1.1.5.3). */
export function identifierToken(system: string, value: string): string {
  const escape = (s: string): string =>
    s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/,/g, '\\,').replace(/\$/g, '\\$');
  return encodeURIComponent(`${escape(system)}|${escape(value)}`);
}

/**
 * A urn:uuid for a bundle-internal fullUrl (FHIR R4 bundle.html §2.36.4.1), stable for one record: the
 * namespace and local id hashed by four FNV-1a 32-bit lanes with different seeds into a version-4-shaped
 * UUID, so the same record always gets the same fullUrl and different records (practically) never share one.
 */
export function bundleUrn(namespace: string, id: string): string {
  const text = `${namespace}/${id}`;
  const lane = (seed: number): string => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  const hex = (lane(0x811c9dc5) + lane(0x050c5d1f) + lane(0x1b873593) + lane(0xcc9e2d51)).split('');
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `urn:uuid:${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
