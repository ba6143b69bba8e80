/**
 * The transaction the sync worker sends for a batch of observations: each observation with its patient,
 * encounter, recording member of staff and device, linked by bundle-internal urn:uuids. Shared resources
 * (one patient with many observations) appear once. The Provenance of each observation version follows
 * in its own transaction (buildProvenanceBundle) once the server has said which version it stored.
 */
import type { Bundle, Device, Patient, Practitioner, Reference, Resource } from '@medplum/fhirtypes';
import { buildTransactionBundle, type TransactionItem } from './bundle';
import { deviceIdentifierValue, toFhirDevice, toFhirPractitioner } from './device';
import { toFhirEncounter } from './encounter';
import { bundleUrn, IDENTIFIER_SYSTEMS } from './identifiers';
import { toFhirObservation } from './observation';
import { applyPatientCorrection, mrnSystemOf, toFhirPatient, type PatientMappingOptions } from './patient';
import { toFhirProvenance } from './provenance';
import type { EncounterRecord, ObservationRecord, PatientRecord } from './records';

export interface SyncUnit {
  readonly observation: ObservationRecord;
  readonly patient: PatientRecord;
  readonly encounter?: EncounterRecord | null | undefined;
}

export interface ObservationEntryRef {
  /** Index of the Observation entry in bundle.entry (and so in the transaction-response). */
  readonly index: number;
  readonly seriesId: string;
  readonly version: number;
}

/** A patient, member of staff or device entry, so the server's id for it can be read from the answer. */
export interface SharedEntryRef {
  readonly index: number;
  readonly kind: 'patient' | 'staff' | 'device';
  /** The local patient id, staff id or device identifier value. */
  readonly key: string;
}

export interface SyncBundle {
  readonly bundle: Bundle;
  readonly observations: readonly ObservationEntryRef[];
  readonly shared: readonly SharedEntryRef[];
}

/**
 * Server references already confirmed for patients, staff and devices (e.g. "Patient/123"): a bundle
 * refers to them directly instead of carrying their conditional create again, so more observations fit a
 * transaction the server limits by entries.
 */
export interface KnownReferences {
  readonly patients: ReadonlyMap<string, string>;
  readonly staff: ReadonlyMap<string, string>;
  readonly devices: ReadonlyMap<string, string>;
}

const encounterSystemOf = (options: PatientMappingOptions): string =>
  options.encounterSystem ?? IDENTIFIER_SYSTEMS.encounter;
const observationSystemOf = (options: PatientMappingOptions): string =>
  options.observationSystem ?? IDENTIFIER_SYSTEMS.observation;

const ref = <T extends Resource>(fullUrl: string): Reference<T> => ({ reference: fullUrl });

/** Provenance has no identifier element, so its id is derived from the observation version it describes. */
export function provenanceIdFor(seriesId: string, version: number): string {
  return bundleUrn('provenance', `${seriesId}:v${version}`).slice('urn:uuid:'.length);
}

export interface EncounterSyncUnit {
  readonly encounter: EncounterRecord;
  readonly patient: PatientRecord;
}

/** A visit on its own (it ended after its observations went): the patient and the visit, conditionally. */
export function buildEncounterSyncBundle(
  units: readonly EncounterSyncUnit[],
  options: PatientMappingOptions = {},
): { bundle: Bundle; encounters: readonly { index: number; encounterId: string }[] } {
  const items: TransactionItem[] = [];
  const seen = new Set<string>();
  const encounters: { index: number; encounterId: string }[] = [];
  for (const { encounter, patient } of units) {
    if (encounter.patientId !== patient.id)
      throw new Error('A visit was paired with another patient’s record.');
    const patientUrl = bundleUrn('patient', patient.id);
    if (!seen.has(patientUrl)) {
      seen.add(patientUrl);
      items.push({
        resource: toFhirPatient(patient, options),
        fullUrl: patientUrl,
        mode: 'create-if-none-exist',
        identifier: { system: mrnSystemOf(options), value: patient.mrn },
      });
    }
    encounters.push({ index: items.length, encounterId: encounter.id });
    items.push({
      resource: toFhirEncounter(encounter, ref<Patient>(patientUrl), encounterSystemOf(options)),
      fullUrl: bundleUrn('encounter', encounter.id),
      mode: 'update-by-identifier',
      identifier: { system: encounterSystemOf(options), value: encounter.id },
    });
  }
  return { bundle: buildTransactionBundle(items), encounters };
}

/**
 * A corrected patient: merged into the server's copy and written back only if that copy has not changed
 * since it was read (If-Match on its version); created by MRN when the server has none yet.
 */
export function buildPatientCorrectionBundle(
  patient: PatientRecord,
  onServer: Patient | undefined,
  options: PatientMappingOptions = {},
): Bundle {
  const fullUrl = bundleUrn('patient', patient.id);
  if (!onServer?.id) {
    return buildTransactionBundle([
      {
        resource: toFhirPatient(patient, options),
        fullUrl,
        mode: 'update-by-identifier',
        identifier: { system: mrnSystemOf(options), value: patient.mrn },
      },
    ]);
  }
  const versionId = onServer.meta?.versionId;
  return buildTransactionBundle([
    {
      resource: applyPatientCorrection(onServer, patient, options),
      fullUrl,
      mode: 'put-by-id',
      id: onServer.id,
      ifMatch: versionId ? `W/"${versionId}"` : undefined,
    },
  ]);
}

export function countEncounterEntries(units: readonly EncounterSyncUnit[]): number {
  return new Set(units.map((u) => u.patient.id)).size + units.length;
}

/**
 * How many entries buildSyncBundle would make for these units, without mapping them: each distinct patient,
 * encounter, member of staff and device once, and an Observation per unit. Lets the sender size a batch
 * to the server's transaction limit cheaply.
 */
export function countSyncEntries(units: readonly SyncUnit[], known?: KnownReferences): number {
  const shared = new Set<string>();
  for (const { observation, patient, encounter } of units) {
    if (!known?.patients.has(patient.id)) shared.add(`p/${patient.id}`);
    if (encounter) shared.add(`e/${encounter.id}`);
    if (!known?.staff.has(observation.recordedBy.id)) shared.add(`s/${observation.recordedBy.id}`);
    if (observation.device) {
      const device = deviceIdentifierValue(observation.device);
      if (!known?.devices.has(device)) shared.add(`d/${device}`);
    }
  }
  return shared.size + units.length;
}

export function buildSyncBundle(
  units: readonly SyncUnit[],
  options: PatientMappingOptions = {},
  known?: KnownReferences,
): SyncBundle {
  const shared = new Map<string, TransactionItem>();
  const items: TransactionItem[] = [];
  const observations: ObservationEntryRef[] = [];
  const sharedRefs: SharedEntryRef[] = [];
  const seriesSeen = new Set<string>();

  const once = <T extends Resource>(
    item: TransactionItem & { resource: T },
    kind?: SharedEntryRef['kind'],
    key?: string,
  ): Reference<T> => {
    if (!shared.has(item.fullUrl)) {
      shared.set(item.fullUrl, item);
      if (kind && key !== undefined) sharedRefs.push({ index: items.length, kind, key });
      items.push(item);
    }
    return ref<T>(item.fullUrl);
  };
  /** The server's reference when it is already known, else the conditional entry. */
  const sharedRef = <T extends Resource>(
    kind: SharedEntryRef['kind'],
    key: string,
    known: ReadonlyMap<string, string> | undefined,
    item: () => TransactionItem & { resource: T },
  ): Reference<T> => {
    const reference = known?.get(key);
    return reference ? { reference } : once(item(), kind, key);
  };

  for (const { observation, patient, encounter } of units) {
    if (seriesSeen.has(observation.seriesId)) {
      throw new Error('Only the latest version of an observation may be sent in one transaction.');
    }
    seriesSeen.add(observation.seriesId);
    if (patient.id !== observation.patientId || (encounter && encounter.patientId !== patient.id)) {
      throw new Error('An observation was paired with another patient’s record.');
    }
    const subject = sharedRef<Patient>('patient', patient.id, known?.patients, () => ({
      resource: toFhirPatient(patient, options),
      fullUrl: bundleUrn('patient', patient.id),
      mode: 'create-if-none-exist',
      identifier: { system: mrnSystemOf(options), value: patient.mrn },
    }));
    const encounterRef = encounter
      ? once({
          resource: toFhirEncounter(encounter, subject, encounterSystemOf(options)),
          fullUrl: bundleUrn('encounter', encounter.id),
          mode: 'update-by-identifier',
          identifier: { system: encounterSystemOf(options), value: encounter.id },
        })
      : undefined;
    const performer = sharedRef('staff', observation.recordedBy.id, known?.staff, () => ({
      resource: toFhirPractitioner(observation.recordedBy),
      fullUrl: bundleUrn('staff', observation.recordedBy.id),
      mode: 'create-if-none-exist',
      identifier: { system: IDENTIFIER_SYSTEMS.staff, value: observation.recordedBy.id },
    }));
    const deviceRecord = observation.device;
    const device = deviceRecord
      ? sharedRef('device', deviceIdentifierValue(deviceRecord), known?.devices, () => ({
          resource: toFhirDevice(deviceRecord),
          fullUrl: bundleUrn('device', deviceIdentifierValue(deviceRecord)),
          mode: 'create-if-none-exist',
          identifier: { system: IDENTIFIER_SYSTEMS.device, value: deviceIdentifierValue(deviceRecord) },
        }))
      : undefined;
    const observationUrl = bundleUrn('observation', `${observation.seriesId}:v${observation.version}`);
    observations.push({ index: items.length, seriesId: observation.seriesId, version: observation.version });
    items.push({
      resource: toFhirObservation(observation, {
        subject,
        encounter: encounterRef,
        performer,
        device,
        identifierSystem: observationSystemOf(options),
      }),
      fullUrl: observationUrl,
      mode: observation.version === 1 ? 'create-if-none-exist' : 'update-by-identifier',
      identifier: { system: observationSystemOf(options), value: observation.seriesId },
    });
  }
  return { bundle: buildTransactionBundle(items), observations, shared: sharedRefs };
}

/** One observation version the server confirmed, with what its Provenance names. */
export interface ProvenanceUnit {
  readonly observation: ObservationRecord;
  /**
   * The exact version the server stored (`Observation/{id}/_history/{vid}`), `Observation/{id}` when the
   * server named the resource but not its version, or undefined when it named neither.
   */
  readonly target: string | undefined;
  /** The server's references for the member of staff and the device, when known. */
  readonly enterer?: string | undefined;
  readonly device?: string | undefined;
}

/** A reference by identifier (FHIR R4 references.html §2.3.0.3 logical reference) when no server id is known. */
const byIdentifier = <T extends Resource>(
  type: T['resourceType'],
  system: string,
  value: string,
): Reference<T> => ({ type, identifier: { system, value } }) as Reference<T>;

/**
 * The Provenance of each confirmed observation version, targeting exactly that version. FHIR R4 offers
 * no way to make a bundle-internal reference resolve to the version a transaction creates (R5 adds the
 * resolve-as-version-specific extension for that), so Provenance goes once the version is known. Each
 * is a PUT by an id derived from the local version: sending it again changes nothing.
 */
export function buildProvenanceBundle(
  units: readonly ProvenanceUnit[],
  options: PatientMappingOptions = {},
): Bundle {
  return buildTransactionBundle(
    units.map(({ observation, target, enterer, device }) => {
      const provenanceId = provenanceIdFor(observation.seriesId, observation.version);
      const deviceRecord = observation.device;
      return {
        resource: toFhirProvenance(observation, {
          target: target
            ? { reference: target }
            : byIdentifier('Observation', observationSystemOf(options), observation.seriesId),
          enterer: enterer
            ? { reference: enterer }
            : byIdentifier<Practitioner>('Practitioner', IDENTIFIER_SYSTEMS.staff, observation.recordedBy.id),
          device: deviceRecord
            ? device
              ? { reference: device }
              : byIdentifier<Device>('Device', IDENTIFIER_SYSTEMS.device, deviceIdentifierValue(deviceRecord))
            : undefined,
        }),
        fullUrl: `urn:uuid:${provenanceId}`,
        mode: 'put-by-id' as const,
        id: provenanceId,
      };
    }),
  );
}
