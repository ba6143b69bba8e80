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
  // Four lanes in one pass over the text.
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let c = 0x1b873593;
  let d = 0xcc9e2d51;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193);
    c = Math.imul(c ^ code, 0x01000193);
    d = Math.imul(d ^ code, 0x01000193);
  }
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  const s1 = hex(a);
  const s2 = hex(b);
  const s3 = hex(c);
  const s4 = hex(d);
  // Version 4 and the RFC 4122 variant bits, so the urn is a well-formed UUID.
  const variant = ((parseInt(s3.charAt(0), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${s1}-${s2.slice(0, 4)}-4${s2.slice(5, 8)}-${variant}${s3.slice(1, 4)}-${s3.slice(4, 8)}${s4}`;
}
