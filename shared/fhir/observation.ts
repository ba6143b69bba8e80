/**
 * A recorded measurement as a FHIR R4 Observation following the vital-signs profile
 * (http://hl7.org/fhir/R4/observation-vitalsigns.html): category vital-signs, a LOINC code, a UCUM
 * valueQuantity, blood pressure as panel 85354-9 with systolic/diastolic components, SpO2 coded 2708-6
 * and 59408-5 with the inhaled oxygen flow as a component.
 */
import type {
  CodeableConcept,
  Observation,
  ObservationComponent,
  Quantity,
  Reference,
  Patient,
  Encounter,
  Practitioner,
  Device,
} from '@medplum/fhirtypes';
import {
  CONSCIOUSNESS,
  PANELS,
  VITALS,
  type ConsciousnessLevel,
  type VitalKind,
} from '../clinical/vital-signs';
import { roundTo } from '../clinical/units';
import { FhirMappingError } from './errors';
import {
  IDENTIFIER_SYSTEMS,
  LOINC_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  SNOMED_SYSTEM,
  UCUM_SYSTEM,
  observationVersionValue,
  ACVPU_SYSTEM,
} from './identifiers';
import type { ObservationRecord, TemperatureSite } from './records';

/** The profile each vital's Observation claims (FHIR R4 observation-vitalsigns.html, profile table). */
export const VITAL_PROFILES: Partial<Record<VitalKind | 'bloodPressure', string>> = {
  heartRate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  respiratoryRate: 'http://hl7.org/fhir/StructureDefinition/resprate',
  spo2: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  bodyTemperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
  bodyHeight: 'http://hl7.org/fhir/StructureDefinition/bodyheight',
  bodyWeight: 'http://hl7.org/fhir/StructureDefinition/bodyweight',
  bmi: 'http://hl7.org/fhir/StructureDefinition/bmi',
  bloodPressure: 'http://hl7.org/fhir/StructureDefinition/bp',
  meanArterialPressure: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
  inhaledOxygenFlow: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
};

/** US Core pulse oximetry (hl7.fhir.us.core): SpO2 with inhaled oxygen flow (3151-8, L/min) as a component. */
export const US_CORE_PULSE_OXIMETRY =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-pulse-oximetry';

/** The oxygensat profile fixes 2708-6; 59408-5 (by pulse oximetry) is what the device measures. */
const SPO2_EXTRA_LOINC = { code: '2708-6', display: 'Oxygen saturation in Arterial blood' } as const;

/** Categories outside vital signs: a glucometer value is a point-of-care lab test, pain a survey item. */
const CATEGORY_BY_KIND: Partial<Record<VitalKind, { code: string; display: string }>> = {
  glucose: { code: 'laboratory', display: 'Laboratory' },
  painScore: { code: 'survey', display: 'Survey' },
};

/**
 * SNOMED CT body structures for temperature sites (as in the HL7 body-temperature body-location value sets);
 * sites without one travel as text.
 */
const TEMPERATURE_SITES: Readonly<
  Record<TemperatureSite, { text: string; snomed?: string; display?: string }>
> = {
  armpit: { text: 'Axilla', snomed: '91470000', display: 'Axillary region structure' },
  body: { text: 'Body (general)' },
  ear: { text: 'Ear', snomed: '117590005', display: 'Ear structure' },
  finger: { text: 'Finger', snomed: '7569003', display: 'Finger structure' },
  'gi-tract': { text: 'Gastrointestinal tract' },
  mouth: { text: 'Mouth', snomed: '74262004', display: 'Oral cavity structure' },
  rectum: { text: 'Rectum', snomed: '34402009', display: 'Rectum structure' },
  toe: { text: 'Toe', snomed: '29707007', display: 'Toe structure' },
  tympanum: { text: 'Tympanic membrane', snomed: '42859004', display: 'Tympanic membrane structure' },
  forehead: { text: 'Forehead', snomed: '52795006', display: 'Forehead structure' },
};

const SITE_WORDS: Readonly<Record<string, TemperatureSite>> = {
  armpit: 'armpit',
  axilla: 'armpit',
  axillary: 'armpit',
  body: 'body',
  ear: 'ear',
  finger: 'finger',
  'gi-tract': 'gi-tract',
  mouth: 'mouth',
  oral: 'mouth',
  rectum: 'rectum',
  rectal: 'rectum',
  toe: 'toe',
  tympanum: 'tympanum',
  tympanic: 'tympanum',
  forehead: 'forehead',
  temporal: 'forehead',
};

/** The known site a nurse's word or a device's temperature type names, if any. */
export function temperatureSiteOf(text: string | null | undefined): TemperatureSite | undefined {
  if (!text) return undefined;
  const key = text.trim().toLowerCase();
  return Object.hasOwn(SITE_WORDS, key) ? SITE_WORDS[key] : undefined;
}

export interface ObservationReferences {
  readonly subject: Reference<Patient>;
  readonly encounter?: Reference<Encounter> | undefined;
  readonly performer?: Reference<Practitioner> | undefined;
  readonly device?: Reference<Device> | undefined;
  /** The clinic's identifier system for measurements (default urn:vitals-desk:observation). */
  readonly identifierSystem?: string | undefined;
}

function loincConcept(kind: VitalKind): CodeableConcept {
  const v = VITALS[kind];
  const coding = [{ system: LOINC_SYSTEM, code: v.loinc, display: v.display }];
  if (kind === 'spo2') coding.push({ system: LOINC_SYSTEM, ...SPO2_EXTRA_LOINC });
  return { coding, text: v.display };
}

/** Six significant decimals at most: enough for every canonical unit, and free of binary noise (36.900000001). */
function quantity(kind: VitalKind, value: number): Quantity {
  if (!Number.isFinite(value))
    throw new FhirMappingError('A measurement without a number cannot be sent.', kind);
  const v = VITALS[kind];
  return { value: roundTo(value, 6), unit: v.unitLabel, system: UCUM_SYSTEM, code: v.unit };
}

function component(kind: VitalKind, value: number): ObservationComponent {
  return { code: loincConcept(kind), valueQuantity: quantity(kind, value) };
}

type Shape =
  | { kind: 'bloodPressure'; systolic: number; diastolic: number; map?: number | undefined }
  | { kind: 'single'; vital: VitalKind; value: number; oxygenFlow?: number | undefined };

/** Which Observation shape the record's values make; anything else is refused. */
function shapeOf(record: ObservationRecord): Shape {
  const byKind = new Map<VitalKind, number>();
  for (const { kind, value } of record.values) {
    if (byKind.has(kind)) throw new FhirMappingError('A measurement lists the same vital twice.', kind);
    byKind.set(kind, value);
  }
  const sys = byKind.get('systolic');
  const dia = byKind.get('diastolic');
  if (sys !== undefined || dia !== undefined) {
    if (sys === undefined || dia === undefined) {
      throw new FhirMappingError('A blood pressure needs both a systolic and a diastolic value.', 'values');
    }
    const map = byKind.get('meanArterialPressure');
    if (byKind.size !== (map === undefined ? 2 : 3)) {
      throw new FhirMappingError(
        'A blood pressure cannot be combined with other vitals in one measurement.',
        'values',
      );
    }
    return { kind: 'bloodPressure', systolic: sys, diastolic: dia, map };
  }
  const spo2 = byKind.get('spo2');
  const flow = byKind.get('inhaledOxygenFlow');
  if (spo2 !== undefined && byKind.size === (flow === undefined ? 1 : 2)) {
    return { kind: 'single', vital: 'spo2', value: spo2, oxygenFlow: flow };
  }
  const [only] = [...byKind.entries()];
  if (byKind.size !== 1 || !only) {
    throw new FhirMappingError(
      'A measurement must hold exactly one vital (or one blood pressure).',
      'values',
    );
  }
  return { kind: 'single', vital: only[0], value: only[1] };
}

export function observationIdentifiers(
  record: Pick<ObservationRecord, 'seriesId' | 'version'>,
  system: string = IDENTIFIER_SYSTEMS.observation,
): Observation['identifier'] {
  return [
    { use: 'official', system, value: record.seriesId },
    {
      use: 'secondary',
      system: IDENTIFIER_SYSTEMS.observationVersion,
      value: observationVersionValue(record.seriesId, record.version),
    },
  ];
}

/**
 * ACVPU as LOINC 80288-4 with a coded answer. There is no standard code system for the five ACVPU levels,
 * so they travel in Vitals Desk's own system with the words as display and text.
 */
function consciousnessObservation(record: ObservationRecord, refs: ObservationReferences): Observation {
  if (record.values.length > 0) {
    throw new FhirMappingError('A consciousness level cannot be combined with other vitals.', 'values');
  }
  const level = record.consciousness as ConsciousnessLevel;
  const answer = CONSCIOUSNESS.answers[level];
  return {
    resourceType: 'Observation',
    meta: { profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] },
    identifier: observationIdentifiers(record, refs.identifierSystem),
    status: record.status,
    category: [
      {
        coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }],
        text: 'Vital Signs',
      },
    ],
    code: {
      coding: [{ system: LOINC_SYSTEM, code: CONSCIOUSNESS.loinc, display: CONSCIOUSNESS.display }],
      text: 'Level of consciousness',
    },
    subject: refs.subject,
    ...(refs.encounter ? { encounter: refs.encounter } : {}),
    effectiveDateTime: record.effectiveAt,
    issued: record.recordedAt,
    ...(refs.performer ? { performer: [refs.performer] } : {}),
    valueCodeableConcept: { coding: [{ system: ACVPU_SYSTEM, code: level, display: answer }], text: answer },
    method: { text: record.method === 'device' ? 'Measured by a connected device' : 'Entered by hand' },
    ...notesOf(record),
  };
}

/**
 * Observation.note: why this version replaced the last, then what the device said about the
 * measurement, each prefixed so a reader on the server can tell them apart.
 */
function notesOf(record: ObservationRecord): Pick<Observation, 'note'> {
  const note: NonNullable<Observation['note']> = [];
  if (record.reason) note.push({ text: record.reason, time: record.recordedAt });
  for (const text of record.deviceNotes ?? [])
    note.push({ text: `Device: ${text}`, time: record.effectiveAt });
  return note.length > 0 ? { note } : {};
}

export function toFhirObservation(record: ObservationRecord, refs: ObservationReferences): Observation {
  if (!Number.isInteger(record.version) || record.version < 1) {
    throw new FhirMappingError('An observation version must be a whole number from 1.', 'version');
  }
  if (record.version === 1 && record.status === 'amended') {
    throw new FhirMappingError('The first version of an observation cannot be an amendment.', 'status');
  }
  if (record.consciousness) return consciousnessObservation(record, refs);
  const shape = shapeOf(record);
  const primary: VitalKind = shape.kind === 'bloodPressure' ? 'systolic' : shape.vital;
  const category = CATEGORY_BY_KIND[primary] ?? { code: 'vital-signs', display: 'Vital Signs' };
  // The R4 oxygensat profile binds component values to ucum-vitals-common, which has no L/min: an SpO2
  // with its oxygen flow claims US Core's pulse-oximetry profile, whose flow-rate component is in L/min.
  const profile =
    shape.kind !== 'bloodPressure' && shape.vital === 'spo2' && shape.oxygenFlow !== undefined
      ? US_CORE_PULSE_OXIMETRY
      : VITAL_PROFILES[shape.kind === 'bloodPressure' ? 'bloodPressure' : shape.vital];

  const observation: Observation = {
    resourceType: 'Observation',
    ...(profile ? { meta: { profile: [profile] } } : {}),
    identifier: observationIdentifiers(record, refs.identifierSystem),
    status: record.status,
    category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, ...category }], text: category.display }],
    code:
      shape.kind === 'bloodPressure'
        ? {
            coding: [
              {
                system: LOINC_SYSTEM,
                code: PANELS.bloodPressure.loinc,
                display: PANELS.bloodPressure.display,
              },
            ],
            text: 'Blood pressure',
          }
        : loincConcept(shape.vital),
    subject: refs.subject,
    ...(refs.encounter ? { encounter: refs.encounter } : {}),
    effectiveDateTime: record.effectiveAt,
    issued: record.recordedAt,
    ...(refs.performer ? { performer: [refs.performer] } : {}),
    method: { text: record.method === 'device' ? 'Measured by a connected device' : 'Entered by hand' },
    ...(refs.device ? { device: refs.device } : {}),
  };

  if (shape.kind === 'bloodPressure') {
    observation.component = [component('systolic', shape.systolic), component('diastolic', shape.diastolic)];
    if (shape.map !== undefined) observation.component.push(component('meanArterialPressure', shape.map));
  } else {
    observation.valueQuantity = quantity(shape.vital, shape.value);
    if (shape.oxygenFlow !== undefined)
      observation.component = [component('inhaledOxygenFlow', shape.oxygenFlow)];
    if (shape.vital === 'bodyTemperature' && record.bodySite) {
      const site = TEMPERATURE_SITES[temperatureSiteOf(record.bodySite) ?? 'body'];
      const known = temperatureSiteOf(record.bodySite) !== undefined;
      observation.bodySite =
        known && site.snomed
          ? { coding: [{ system: SNOMED_SYSTEM, code: site.snomed, display: site.display }], text: site.text }
          : { text: known ? site.text : record.bodySite };
    }
  }
  return { ...observation, ...notesOf(record) };
}
