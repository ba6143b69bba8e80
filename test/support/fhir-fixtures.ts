/** Synthetic records for FHIR tests: invented people, no real patient data. */
import type { EncounterRecord, ObservationRecord, PatientRecord } from '../../shared/fhir/records';

export const patientFixture: PatientRecord = {
  id: 'pat-1',
  mrn: 'MRN-000123',
  family: 'Testperson',
  given: 'Ada Marie',
  birthDate: '1970-04-02',
  sex: 'female',
  phone: '+1 555 0100',
  email: null,
};

export const encounterFixture: EncounterRecord = {
  id: 'enc-1',
  patientId: 'pat-1',
  startedAt: '2026-03-01T09:00:00Z',
  endedAt: null,
};

export function observationFixture(overrides: Partial<ObservationRecord> = {}): ObservationRecord {
  return {
    seriesId: 'obs-1',
    version: 1,
    status: 'final',
    patientId: 'pat-1',
    encounterId: 'enc-1',
    values: [{ kind: 'heartRate', value: 72 }],
    effectiveAt: '2026-03-01T09:05:00Z',
    recordedAt: '2026-03-01T09:05:10Z',
    recordedBy: { id: 'user-nurse-1', displayName: 'Nurse One' },
    method: 'device',
    device: {
      deviceId: 'ble:AA:BB',
      transport: 'ble',
      driver: 'ble-heart-rate',
      manufacturer: 'Acme',
      model: 'HR-1',
      serial: 'SN42',
      firmware: '1.2.3',
    },
    ...overrides,
  };
}
