/**
 * What a device's Feature characteristic changes in its readings. Frames and Feature values are written
 * byte by byte from the Bluetooth SIG layouts (GATT Specification Supplement: Blood Pressure Measurement
 * and Blood Pressure Feature, Weight Measurement and Weight Scale Feature, PLX Spot-check Measurement and
 * PLX Features), little-endian as the specification sends them.
 *
 * - Blood Pressure Feature: a cuff that does not support a detection "shall not set" its status flag, so
 *   a set flag is noise (no note); a User ID from a cuff without multiple-bond support is a device fault
 *   worth a note.
 * - Weight Scale Feature: the weight and height resolution decide the decimals kept and shown, and the
 *   resolution goes with the reading as a note.
 * - PLX Features: only status bits the oximeter declares it can set become notes; refusals stand.
 * Without the Feature (not offered, unreadable) each reading is as it was before.
 */
import { describe, expect, it } from 'vitest';
import { bleDriverFor } from '../../../../main/devices/ble/drivers';
import {
  parseBloodPressureFeature,
  parsePlxFeatures,
  parseWeightScaleFeature,
  type DeviceFeatures,
} from '../../../../main/devices/ble/profiles/features';
import { USER_ID_WITHOUT_SUPPORT_NOTE } from '../../../../main/devices/ble/profiles/blood-pressure';
import { readingValuesText } from '../../../../shared/devices/reading-words';
import { expectOk } from './table';

const measure = (driver: string, index = 0) => bleDriverFor(driver)!.measurements[index]!;
const cuff = measure('ble.blood-pressure');
const scale = measure('ble.weight-scale');
const spotCheck = measure('ble.pulse-oximeter');

// flags 0x1C (pulse, user, status); 120/80 mmHg, MAP 93, pulse 68, user 1; status 0x0027: body movement,
// cuff too loose, irregular pulse, improper position.
const BP_ALL_FLAGS = Uint8Array.of(0x1c, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00, 0x44, 0x00, 0x01, 0x27, 0x00);
// The same with user 0xFF (unknown) and status 0x0008 (pulse above the cuff's upper limit).
const BP_PULSE_ABOVE = Uint8Array.of(0x1c, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00, 0x44, 0x00, 0xff, 0x08, 0x00);

const bpFeature = (lo: number): DeviceFeatures => ({
  bloodPressure: expectOk(parseBloodPressureFeature(Uint8Array.of(lo, 0x00))),
});

const ALL_FOUR = [
  'Body movement during measurement',
  'Cuff fit too loose',
  'Irregular pulse detected',
  'Improper measurement position',
];

describe('Blood Pressure Feature (0x2A49) decides which status flags are findings', () => {
  it('no Feature: every flag is noted, as before, and the user is not questioned', () => {
    expect(expectOk(cuff.toValues(BP_ALL_FLAGS)).notes).toEqual(ALL_FOUR);
    expect(expectOk(cuff.toValues(BP_ALL_FLAGS, {})).notes).toEqual(ALL_FOUR);
  });

  it('a cuff that detects everything and pairs with several computers (0x003F): every flag is a finding', () => {
    const r = expectOk(cuff.toValues(BP_ALL_FLAGS, { features: bpFeature(0x3f) }));
    expect(r.notes).toEqual(ALL_FOUR);
    expect(r.userId).toBe(1);
  });

  it('a cuff that detects nothing (0x0000): no flag is a finding, and its User ID is a device fault', () => {
    const r = expectOk(cuff.toValues(BP_ALL_FLAGS, { features: bpFeature(0x00) }));
    expect(r.notes).toEqual([USER_ID_WITHOUT_SUPPORT_NOTE]);
    // The values and the user it named are kept: the nurse decides whose they are.
    expect(r.values.map((v) => v.kind)).toEqual([
      'systolic',
      'diastolic',
      'meanArterialPressure',
      'heartRate',
    ]);
    expect(r.userId).toBe(1);
    // The same measurement without a User ID (flags 0x14): nothing to question.
    const noUser = Uint8Array.of(0x14, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00, 0x44, 0x00, 0x27, 0x00);
    expect(expectOk(cuff.toValues(noUser, { features: bpFeature(0x00) })).notes).toEqual([]);
  });

  it.each([
    [0x01, ['Body movement during measurement']],
    [0x02, ['Cuff fit too loose']],
    [0x04, ['Irregular pulse detected']],
    [0x10, ['Improper measurement position']],
  ] as const)('Feature bits %i (with multiple bonds): only that detection is noted', (lo, notes) => {
    const r = expectOk(cuff.toValues(BP_ALL_FLAGS, { features: bpFeature(lo | 0x20) }));
    expect(r.notes).toEqual(notes);
  });

  it('pulse out of range is noted only with pulse rate range detection (bit 3); the unknown user 0xFF is no fault', () => {
    expect(expectOk(cuff.toValues(BP_PULSE_ABOVE, { features: bpFeature(0x08) })).notes).toEqual([
      'Pulse rate above the cuff’s upper limit',
    ]);
    expect(expectOk(cuff.toValues(BP_PULSE_ABOVE, { features: bpFeature(0x07) })).notes).toEqual([]);
  });
});

// Weight Measurement flags 0x00 (SI), weight uint16 × 0.005 kg: 14470 = 0x3886 → 72.35 kg.
const KG_72_35 = Uint8Array.of(0x00, 0x86, 0x38);
// 14500 = 0x38A4 → 72.5 kg.
const KG_72_5 = Uint8Array.of(0x00, 0xa4, 0x38);
// Imperial (flags 0x01), weight × 0.01 lb: 15430 = 0x3C46 → 154.3 lb.
const LB_154_3 = Uint8Array.of(0x01, 0x46, 0x3c);
// SI with BMI and height (flags 0x08): 72.35 kg, BMI 235 × 0.1 = 23.5, height 1755 × 0.001 m = 1.755 m.
const KG_WITH_HEIGHT = Uint8Array.of(0x08, 0x86, 0x38, 0xeb, 0x00, 0xdb, 0x06);

/** Weight Scale Feature, uint32: weight resolution code in bits 3–6, height code in bits 7–9. */
const wsFeature = (weightCode: number, heightCode = 0): DeviceFeatures => {
  const flags = (weightCode << 3) | (heightCode << 7);
  return {
    weightScale: expectOk(parseWeightScaleFeature(Uint8Array.of(flags & 0xff, flags >>> 8, 0x00, 0x00))),
  };
};

describe('Weight Scale Feature (0x2A9E) decides the precision of a weighing', () => {
  it('a 0.05 kg scale (code 4): 72.35 kg, kept and shown to hundredths, the resolution noted', () => {
    const r = expectOk(scale.toValues(KG_72_35, { features: wsFeature(4) }));
    expect(r.values).toEqual([{ kind: 'bodyWeight', value: 72.35, unit: 'kg', decimals: 2 }]);
    expect(r.notes).toEqual(['Scale resolution 0.05 kg']);
    expect(readingValuesText(r.values)).toBe('72.35 kg');
  });

  it('a 0.5 kg scale (code 1): 72.5 kg to tenths; a value off its grid is put back on it', () => {
    const r = expectOk(scale.toValues(KG_72_5, { features: wsFeature(1) }));
    expect(r.values).toEqual([{ kind: 'bodyWeight', value: 72.5, unit: 'kg', decimals: 1 }]);
    expect(readingValuesText(r.values)).toBe('72.5 kg');
    // 72.35 from a scale that weighs to 0.5 kg claims a precision it has not: 72.5.
    expect(expectOk(scale.toValues(KG_72_35, { features: wsFeature(1) })).values[0]?.value).toBe(72.5);
  });

  it('a 0.005 kg scale (code 7) keeps thousandths', () => {
    const r = expectOk(scale.toValues(KG_72_35, { features: wsFeature(7) }));
    expect(r.values[0]).toMatchObject({ value: 72.35, decimals: 3 });
    expect(readingValuesText(r.values)).toBe('72.350 kg');
  });

  it('without the Feature, or with resolution "not specified" (code 0): as before, shown to tenths', () => {
    for (const features of [undefined, wsFeature(0)]) {
      const r = expectOk(scale.toValues(KG_72_35, features ? { features } : {}));
      expect(r.values).toStrictEqual([{ kind: 'bodyWeight', value: 72.35, unit: 'kg' }]);
      expect(r.notes).toEqual([]);
      expect(readingValuesText(r.values)).toBe('72.4 kg');
    }
  });

  it('an imperial scale to 0.1 lb (code 4, paired with 0.05 kg): 154.3 lb is 69.99 kg, to hundredths', () => {
    const r = expectOk(scale.toValues(LB_154_3, { features: wsFeature(4) }));
    expect(r.values).toEqual([{ kind: 'bodyWeight', value: 69.99, unit: 'kg', decimals: 2 }]);
    expect(r.notes).toEqual(['Scale resolution 0.1 lb']);
  });

  it('height to 0.01 m (code 1): whole centimetres; to 0.001 m (code 3): tenths', () => {
    const cm = expectOk(scale.toValues(KG_WITH_HEIGHT, { features: wsFeature(4, 1) }));
    expect(cm.values).toEqual([
      { kind: 'bodyWeight', value: 72.35, unit: 'kg', decimals: 2 },
      { kind: 'bodyHeight', value: 176, unit: 'cm', decimals: 0 },
      { kind: 'bmi', value: 23.5, unit: 'kg/m2' },
    ]);
    expect(cm.notes).toEqual(['Scale resolution 0.05 kg', 'Height resolution 1 cm']);
    const mm = expectOk(scale.toValues(KG_WITH_HEIGHT, { features: wsFeature(4, 3) }));
    expect(mm.values[1]).toEqual({ kind: 'bodyHeight', value: 175.5, unit: 'cm', decimals: 1 });
    // Weight resolution only: the height stays as sent, with no decimals claimed and no height note.
    const weightOnly = expectOk(scale.toValues(KG_WITH_HEIGHT, { features: wsFeature(4) }));
    expect(weightOnly.values[1]).toStrictEqual({ kind: 'bodyHeight', value: 175.5, unit: 'cm' });
    expect(weightOnly.notes).toEqual(['Scale resolution 0.05 kg']);
  });

  it('an imperial scale with height to 0.5 in (code 2): 69 in is 175.3 cm, to tenths', () => {
    // flags 0x09 (imperial, BMI and height): 154.3 lb, BMI 229 × 0.1 = 22.9, height 690 × 0.1 in = 69.0 in.
    const frame = Uint8Array.of(0x09, 0x46, 0x3c, 0xe5, 0x00, 0xb2, 0x02);
    const r = expectOk(scale.toValues(frame, { features: wsFeature(4, 2) }));
    expect(r.values).toEqual([
      { kind: 'bodyWeight', value: 69.99, unit: 'kg', decimals: 2 },
      { kind: 'bodyHeight', value: 175.3, unit: 'cm', decimals: 1 },
      { kind: 'bmi', value: 22.9, unit: 'kg/m2' },
    ]);
    expect(r.notes).toEqual(['Scale resolution 0.1 lb', 'Height resolution 0.5 in']);
  });
});

// PLX Spot-check flags 0x06 (measurement status, device and sensor status): SpO2 97, pulse 71,
// measurement status 0x4000 (questionable measurement), device and sensor status 0x000020 (low perfusion).
const SPOT_FLAGGED = Uint8Array.of(0x06, 0x61, 0x00, 0x47, 0x00, 0x00, 0x40, 0x20, 0x00, 0x00);
// The same with sensor status 0x008000 (sensor disconnected).
const SPOT_DISCONNECTED = Uint8Array.of(0x06, 0x61, 0x00, 0x47, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00);

const plx = (...bytes: number[]): DeviceFeatures => ({
  plx: expectOk(parsePlxFeatures(Uint8Array.of(...bytes))),
});
const BOTH_NOTES = ['The oximeter flagged this measurement as questionable', 'Low perfusion'];

describe('PLX Features (0x2A60) decide which status bits are trusted', () => {
  it('no Feature: both notes, as before', () => {
    expect(expectOk(spotCheck.toValues(SPOT_FLAGGED)).notes).toEqual(BOTH_NOTES);
  });

  it('an oximeter that can set both bits (support 0x4000 and 0x000020): both notes', () => {
    const features = plx(0x03, 0x00, 0x00, 0x40, 0x20, 0x00, 0x00);
    expect(expectOk(spotCheck.toValues(SPOT_FLAGGED, { features })).notes).toEqual(BOTH_NOTES);
  });

  it('one that supports only the device and sensor status bit: only low perfusion', () => {
    const features = plx(0x03, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00);
    expect(expectOk(spotCheck.toValues(SPOT_FLAGGED, { features })).notes).toEqual(['Low perfusion']);
  });

  it('one that declares no status fields at all (0x0000): neither note', () => {
    expect(expectOk(spotCheck.toValues(SPOT_FLAGGED, { features: plx(0x00, 0x00) })).notes).toEqual([]);
  });

  it('a sensor the oximeter says is disconnected is refused whatever its features say', () => {
    const r = spotCheck.toValues(SPOT_DISCONNECTED, { features: plx(0x00, 0x00) });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSTABLE' } });
  });
});
