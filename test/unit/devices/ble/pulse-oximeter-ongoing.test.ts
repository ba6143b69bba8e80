import { describe, expect, it } from 'vitest';
import {
  parsePlxContinuousMeasurement,
  parsePlxSpotCheckMeasurement,
  pulseOximetryToValues,
} from '../../../../main/devices/ble/profiles/pulse-oximeter';
import { expectError, expectOk } from './table';

// Frames built byte by byte from the Bluetooth SIG layout (Pulse Oximeter Service 1.0.1 / GATT
// Specification Supplement §3.172 spot check, §3.173 continuous); no published capture with the
// status field was found. SpO2 97 % = 0x0061, pulse 72 /min = 0x0048. Measurement status bit 5 is
// "measurement ongoing", bit 6 "early estimated data", bit 15 "invalid measurement detected".
const SPO2_97 = [0x61, 0x00];
const PR_72 = [0x48, 0x00];
const CONT_FLAG_STATUS = 0x04;
const SPOT_FLAG_STATUS = 0x02;

const continuous = (status: number) =>
  pulseOximetryToValues(
    expectOk(
      parsePlxContinuousMeasurement(
        Uint8Array.of(CONT_FLAG_STATUS, ...SPO2_97, ...PR_72, status & 0xff, status >> 8),
      ),
    ),
  );
const spotCheck = (status: number) =>
  pulseOximetryToValues(
    expectOk(
      parsePlxSpotCheckMeasurement(
        Uint8Array.of(SPOT_FLAG_STATUS, ...SPO2_97, ...PR_72, status & 0xff, status >> 8),
      ),
    ),
  );

describe('"measurement ongoing" on a pulse oximeter', () => {
  it('is a live value on the continuous stream (0x2A5F)', () => {
    const r = expectOk(continuous(1 << 5));
    expect(r.values.map((v) => [v.kind, v.value])).toEqual([
      ['spo2', 97],
      ['heartRate', 72],
    ]);
  });

  it('makes a spot check (0x2A5E) wait to settle', () => {
    expectError(spotCheck(1 << 5), 'UNSTABLE');
    expectOk(spotCheck(0));
  });

  it('does not excuse other faults on the continuous stream', () => {
    expectError(continuous((1 << 5) | (1 << 6)), 'UNSTABLE'); // early estimate
    expectError(continuous((1 << 5) | (1 << 15)), 'UNSTABLE'); // invalid
  });
});
