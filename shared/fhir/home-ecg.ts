/**
 * A watch ECG as a patient-generated FHIR R4 Observation: LOINC 8601-7 "EKG impression" (the code US
 * Core's EKG example uses) with the watch app's classification as its value, marked like every home
 * value (the patient-generated tag, the patient as performer, the device by name), the average heart
 * rate as a component when the file gave one, and a note that the classification is the watch's. The
 * trace itself stays at the workstation.
 */
import type { Observation } from '@medplum/fhirtypes';
import { ECG_CLASSIFICATION_WORDS, type StoredEcg } from '../home-data/ecg';
import { PATIENT_GENERATED_TAG } from './home-observation';
import { LOINC_SYSTEM, OBSERVATION_CATEGORY_SYSTEM, UCUM_SYSTEM } from './identifiers';

export const HOME_ECG_SYSTEM = 'urn:vitals-desk:home-ecg';
export const EKG_IMPRESSION = { code: '8601-7', display: 'EKG impression' } as const;
const HEART_RATE = { code: '8867-4', display: 'Heart rate' } as const;

export function homeEcgToFhir(ecg: StoredEcg, patient: { reference: string }): Observation {
  const device = [
    ecg.device && `Apple Watch (${ecg.device})`,
    ecg.softwareVersion && `ECG app ${ecg.softwareVersion}`,
  ]
    .filter(Boolean)
    .join(', ');
  const words = ECG_CLASSIFICATION_WORDS[ecg.classification];
  return {
    resourceType: 'Observation',
    meta: { tag: [PATIENT_GENERATED_TAG] },
    identifier: [{ system: HOME_ECG_SYSTEM, value: ecg.id }],
    status: 'final',
    category: [
      { coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'procedure', display: 'Procedure' }] },
    ],
    code: { coding: [{ system: LOINC_SYSTEM, ...EKG_IMPRESSION }], text: EKG_IMPRESSION.display },
    subject: patient,
    performer: [patient],
    effectiveDateTime: ecg.recordedAt,
    valueCodeableConcept: { text: `${words} (watch classification: ${ecg.classificationText})` },
    ...(ecg.averageHeartRate !== undefined
      ? {
          component: [
            {
              code: { coding: [{ system: LOINC_SYSTEM, ...HEART_RATE }], text: HEART_RATE.display },
              valueQuantity: { value: ecg.averageHeartRate, unit: '/min', system: UCUM_SYSTEM, code: '/min' },
            },
          ],
        }
      : {}),
    ...(device ? { device: { display: device } } : {}),
    note: [
      {
        text: [
          `Patient-generated: the watch's own classification (${ecg.lead ?? 'single lead'}, ${ecg.sampleRateHz} Hz, ${ecg.sampleCount} samples), not a clinic diagnosis.`,
          ecg.symptoms.length > 0 ? `Symptoms reported: ${ecg.symptoms.join(', ')}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      },
    ],
  };
}
