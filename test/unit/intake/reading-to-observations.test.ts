import { describe, expect, it } from 'vitest';
import { observationsFromReading } from '../../../shared/devices/reading-to-observations';
import type { DeviceReading } from '../../../shared/devices/reading';
import { newObservationSchema } from '../../../shared/records';

const PATIENT = '5f0c3a52-7f4b-4a49-9a53-3f4f1f6f0d11';
const provenance = {
  deviceId: 'cuff-1',
  transport: 'ble' as const,
  driver: 'ble.blood-pressure',
  manufacturer: 'A&D',
  model: 'UA-651BLE',
  serial: 'SN1',
};
const reading = (values: DeviceReading['values']): DeviceReading => ({
  readingId: 'r1',
  provenance,
  measuredAt: '2026-11-25T10:00:00.000Z',
  receivedAt: '2026-11-25T10:00:01.000Z',
  values,
  notes: [],
});

describe('accepting a device reading', () => {
  it('carries what the device said to every value of the reading, and nothing when it said nothing', () => {
    const cuff = reading([
      { kind: 'systolic', value: 150, unit: 'mm[Hg]' },
      { kind: 'diastolic', value: 95, unit: 'mm[Hg]' },
      { kind: 'heartRate', value: 104, unit: '/min' },
    ]);
    const noted = observationsFromReading(
      { ...cuff, notes: ['Irregular pulse detected'] },
      { patientId: PATIENT },
    );
    expect(noted.map((o) => o.deviceNotes)).toEqual([
      ['Irregular pulse detected'],
      ['Irregular pulse detected'],
    ]);
    for (const o of noted) expect(newObservationSchema.safeParse(o).success).toBe(true);
    expect(observationsFromReading(cuff, { patientId: PATIENT }).map((o) => 'deviceNotes' in o)).toEqual([
      false,
      false,
    ]);
  });

  it('turns a cuff reading into a BP panel and a pulse, with provenance and the device time', () => {
    const result = observationsFromReading(
      reading([
        { kind: 'systolic', value: 131, unit: 'mm[Hg]' },
        { kind: 'diastolic', value: 84, unit: 'mm[Hg]' },
        { kind: 'heartRate', value: 66, unit: '/min' },
      ]),
      { patientId: PATIENT },
    );
    expect(result.map((o) => o.kind)).toEqual(['bloodPressure', 'heartRate']);
    expect(result[0]?.components).toEqual([
      { kind: 'systolic', value: 131 },
      { kind: 'diastolic', value: 84 },
      { kind: 'meanArterialPressure', value: 100 },
    ]);
    for (const o of result) {
      expect(o.method).toBe('device');
      expect(o.device).toEqual(provenance);
      expect(o.effectiveAt).toBe('2026-11-25T10:00:00.000Z');
      expect(newObservationSchema.safeParse(o).success).toBe(true);
    }
  });

  it('keeps the cuff MAP when sent, and adds oxygen flow to SpO2 only when on oxygen', () => {
    const bp = observationsFromReading(
      reading([
        { kind: 'systolic', value: 120, unit: 'mm[Hg]' },
        { kind: 'diastolic', value: 80, unit: 'mm[Hg]' },
        { kind: 'meanArterialPressure', value: 95, unit: 'mm[Hg]' },
      ]),
      { patientId: PATIENT, encounterId: '8a1d6c1e-3f6b-4bde-9d0c-2f1f7b7e6a01' },
    );
    expect(bp).toHaveLength(1);
    expect(bp[0]?.components?.[2]).toEqual({ kind: 'meanArterialPressure', value: 95 });
    expect(bp[0]?.encounterId).toBe('8a1d6c1e-3f6b-4bde-9d0c-2f1f7b7e6a01');

    const ox = reading([{ kind: 'spo2', value: 93, unit: '%' }]);
    expect(observationsFromReading(ox, { patientId: PATIENT, oxygenFlowLpm: 2 })[0]?.components).toEqual([
      { kind: 'inhaledOxygenFlow', value: 2 },
    ]);
    expect(observationsFromReading(ox, { patientId: PATIENT })[0]?.components).toBeUndefined();
  });
});
