/**
 * What the FHIR mapping needs from the local record, as plain interfaces. The database's own row types
 * adapt to these in one place (main/sync), so the mapping does not depend on the schema.
 */
import type { ConsciousnessLevel, VitalKind } from '../clinical/vital-signs';
import type { DeviceProvenance } from '../devices/reading';

export type AdministrativeSex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientRecord {
  /** Local id; also used for the bundle-internal urn:uuid. */
  readonly id: string;
  readonly mrn: string;
  readonly family: string;
  readonly given: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: AdministrativeSex;
  readonly phone?: string | null | undefined;
  readonly email?: string | null | undefined;
}

export interface EncounterRecord {
  readonly id: string;
  readonly patientId: string;
  /** ISO 8601 instant. */
  readonly startedAt: string;
  readonly endedAt?: string | null | undefined;
  /** Absent: in progress until it has an end, finished after. */
  readonly status?: 'planned' | 'in-progress' | 'finished' | 'cancelled' | undefined;
}

/** A member of staff who recorded a measurement. */
export interface StaffRecord {
  readonly id: string;
  readonly displayName: string;
}

export type ObservationStatus = 'final' | 'amended' | 'entered-in-error';

/** Where a temperature was taken (Bluetooth Health Thermometer "Temperature Type", plus forehead). */
export type TemperatureSite =
  'armpit' | 'body' | 'ear' | 'finger' | 'gi-tract' | 'mouth' | 'rectum' | 'toe' | 'tympanum' | 'forehead';

/**
 * One version of one measurement. A blood pressure is one observation with systolic and diastolic (and
 * optionally MAP) values; an SpO2 may carry the inhaled oxygen flow; everything else has one value.
 * Values are in canonical units (see VITALS).
 */
export interface ObservationRecord {
  /** Stable across versions: the FHIR identifier. */
  readonly seriesId: string;
  /** 1 for the first recording, +1 per correction. */
  readonly version: number;
  readonly status: ObservationStatus;
  readonly patientId: string;
  readonly encounterId?: string | null | undefined;
  readonly values: readonly { readonly kind: VitalKind; readonly value: number }[];
  /** When it was measured. ISO 8601 instant. */
  readonly effectiveAt: string;
  /** When this version was recorded. ISO 8601 instant. */
  readonly recordedAt: string;
  readonly recordedBy: StaffRecord;
  readonly method: 'device' | 'manual';
  readonly device?: DeviceProvenance | null | undefined;
  /** Where a temperature was taken: a TemperatureSite or the nurse's word ("oral", "tympanic"). */
  readonly bodySite?: string | null | undefined;
  /** ACVPU level, for a consciousness observation (then `values` is empty). */
  readonly consciousness?: ConsciousnessLevel | null | undefined;
  /** Why this version replaced the previous one (amendments, entered-in-error). */
  readonly reason?: string | null | undefined;
  /** What the device said about the measurement ("Irregular pulse detected"). */
  readonly deviceNotes?: readonly string[] | undefined;
}
