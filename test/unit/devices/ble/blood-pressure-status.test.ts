import { describe, expect, it } from 'vitest';
import {
  bloodPressureToValues,
  decodeBloodPressureStatus,
  parseBloodPressureMeasurement,
} from '../../../../main/devices/ble/profiles/blood-pressure';
import { encodeBloodPressure, sfloat } from '../../../sim/ble/encoders';
import { expectError, expectOk } from './table';

// Measurement status (GATT Specification Supplement §3.31.2.6): bit0 body movement, bit1 cuff too
// loose, bit2 irregular pulse, bits3–4 pulse rate range (0 within, 1 above, 2 below, 3 reserved),
// bit5 improper position, bits6–15 reserved. Each bit on its own gives its note and no other.

function reading(status: number | undefined, pulse?: number) {
  return bloodPressureToValues(
    expectOk(
      parseBloodPressureMeasurement(
        encodeBloodPressure({
          systolic: sfloat(124),
          diastolic: sfloat(78),
          meanArterialPressure: sfloat(93),
          ...(pulse === undefined ? {} : { pulseRate: sfloat(pulse) }),
          ...(status === undefined ? {} : { status }),
        }),
      ),
    ),
  );
}

const notesOf = (status: number | undefined): string[] => expectOk(reading(status)).notes;

describe('Blood pressure measurement status', () => {
  it('decodes each status bit alone, and none when the word is zero', () => {
    const none = {
      bodyMovement: false,
      cuffTooLoose: false,
      irregularPulse: false,
      pulseRateRange: 'within',
      improperPosition: false,
    };
    expect(decodeBloodPressureStatus(0)).toEqual(none);
    expect(decodeBloodPressureStatus(0x01)).toEqual({ ...none, bodyMovement: true });
    expect(decodeBloodPressureStatus(0x02)).toEqual({ ...none, cuffTooLoose: true });
    expect(decodeBloodPressureStatus(0x04)).toEqual({ ...none, irregularPulse: true });
    expect(decodeBloodPressureStatus(0x08)).toEqual({ ...none, pulseRateRange: 'above' });
    expect(decodeBloodPressureStatus(0x10)).toEqual({ ...none, pulseRateRange: 'below' });
    expect(decodeBloodPressureStatus(0x18)).toEqual({ ...none, pulseRateRange: 'reserved' });
    expect(decodeBloodPressureStatus(0x20)).toEqual({ ...none, improperPosition: true });
    // Reserved bits 6–15 mean nothing.
    expect(decodeBloodPressureStatus(0xffc0)).toEqual(none);
    expect(decodeBloodPressureStatus(0xffff)).toEqual({
      bodyMovement: true,
      cuffTooLoose: true,
      irregularPulse: true,
      pulseRateRange: 'reserved',
      improperPosition: true,
    });
  });

  it('gives the nurse exactly the note of each status bit the cuff set, in a fixed order', () => {
    expect(notesOf(undefined)).toEqual([]);
    expect(notesOf(0)).toEqual([]);
    expect(notesOf(0x01)).toEqual(['Body movement during measurement']);
    expect(notesOf(0x02)).toEqual(['Cuff fit too loose']);
    expect(notesOf(0x04)).toEqual(['Irregular pulse detected']);
    expect(notesOf(0x08)).toEqual(['Pulse rate above the cuff’s upper limit']);
    expect(notesOf(0x10)).toEqual(['Pulse rate below the cuff’s lower limit']);
    // A reserved pulse-range value says nothing the nurse could act on.
    expect(notesOf(0x18)).toEqual([]);
    expect(notesOf(0x20)).toEqual(['Improper measurement position']);
    expect(notesOf(0x3f & ~0x10)).toEqual([
      'Body movement during measurement',
      'Cuff fit too loose',
      'Irregular pulse detected',
      'Pulse rate above the cuff’s upper limit',
      'Improper measurement position',
    ]);
  });

  it('keeps a slow cuff pulse (NEWS2 scores ≤ 40 /min highest) with the cuff’s own warning', () => {
    // A pulse of 40 or below is exactly what must reach the nurse: it is kept as the heart rate,
    // down to the plausible floor of 20 /min (DOMAIN.md); below that the reading is refused, not trimmed.
    for (const pulse of [40, 35, 20]) {
      const m = expectOk(reading(0x10, pulse));
      expect(m.values).toContainEqual({ kind: 'heartRate', value: pulse, unit: '/min' });
      expect(m.notes).toEqual(['Pulse rate below the cuff’s lower limit']);
    }
    expectError(reading(undefined, 19), 'OUT_OF_RANGE');
    expectError(reading(undefined, 301), 'OUT_OF_RANGE');
    expect(expectOk(reading(undefined, 300)).values).toContainEqual({
      kind: 'heartRate',
      value: 300,
      unit: '/min',
    });
  });
});
