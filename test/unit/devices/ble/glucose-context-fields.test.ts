import { describe, expect, it } from 'vitest';
import { glucoseContextNotes, parseGlucoseContext } from '../../../../main/devices/ble/profiles/glucose';
import { expectOk, expectTruncatedAtEveryLength } from './table';

// No published capture of a meter sending exercise or medication context was found, so these frames
// are built byte by byte from the Bluetooth SIG layout (GATT Specification Supplement §3.105 Glucose
// Measurement Context): flags (bit0 carbohydrate, bit1 meal, bit2 tester/health, bit3 exercise,
// bit4 medication, bit5 medication in litres, bit6 HbA1c, bit7 extended flags), sequence uint16,
// [extended flags], [carbohydrate id + SFLOAT kg], [meal], [tester|health], [exercise duration
// uint16 s + intensity uint8 %], [medication id + SFLOAT kg or L], [HbA1c SFLOAT %].
const notesOf = (bytes: Uint8Array) => glucoseContextNotes(expectOk(parseGlucoseContext(bytes)));

describe('Glucose Measurement Context 0x2A34: carbohydrate, exercise, medication, HbA1c', () => {
  const full = Uint8Array.of(
    0x79, // carbohydrate | exercise | medication | litres | HbA1c
    0x05,
    0x00, // sequence 5
    0x01,
    0x32,
    0xd0, // breakfast, 50 × 10⁻³ kg
    0x08,
    0x07,
    0x50, // 1800 s at 80 %
    0x01,
    0x06,
    0xd0, // rapid-acting insulin, 6 × 10⁻³ L
    0x41,
    0xf0, // HbA1c 65 × 10⁻¹ %
  );

  it('keeps every field with the reading as notes', () => {
    const context = expectOk(parseGlucoseContext(full));
    expect(context).toEqual({
      sequenceNumber: 5,
      carbohydrate: { grams: 50, meal: 'breakfast' },
      exercise: { seconds: 1800, intensityPercent: 80 },
      medication: { amount: 6, unit: 'mL', name: 'rapid-acting insulin' },
      hba1c: 6.5,
    });
    expect(glucoseContextNotes(context)).toEqual([
      'Carbohydrate: 50 g (breakfast)',
      'Exercise: 30 min at 80% intensity',
      'Medication: rapid-acting insulin 6 mL',
      'HbA1c: 6.5%',
    ]);
    expectTruncatedAtEveryLength(full, parseGlucoseContext);
  });

  it('medication without the litres flag is in kg, shown in mg', () => {
    // flags 0x10, sequence 1, long-acting insulin (4), 5 × 10⁻⁴ kg = 500 mg.
    expect(notesOf(Uint8Array.of(0x10, 0x01, 0x00, 0x04, 0x05, 0xc0))).toEqual([
      'Medication: long-acting insulin 500 mg',
    ]);
  });

  it('reads every field after the meal, tester and extended flags in flag order', () => {
    // flags 0xDE: meal, tester, exercise, medication (kg), HbA1c, extended flags.
    const bytes = Uint8Array.of(
      0xde,
      0x02,
      0x00,
      0x00,
      0x03,
      0x52,
      0x2c,
      0x01,
      0x0a,
      0x09,
      0x02,
      0xc0,
      0x3c,
      0xf0,
    );
    expect(notesOf(bytes)).toEqual([
      'Meal: Fasting',
      'Tested by a health professional',
      'Exercise: 5 min at 10% intensity',
      'Medication: 200 mg',
      'HbA1c: 6%',
    ]);
  });

  it('drops only a field the meter could not fill', () => {
    // Carbohydrate NaN, exercise "overrun" 0xFFFF, reserved medication id 0 with 1 mg, HbA1c NRes.
    const bytes = Uint8Array.of(
      0x59,
      0x01,
      0x00,
      0x03,
      0xff,
      0x07,
      0xff,
      0xff,
      0x64,
      0x00,
      0x01,
      0xa0,
      0x00,
      0x08,
    );
    expect(notesOf(bytes)).toEqual([
      'Exercise: longer than the meter counts at 100% intensity',
      'Medication: 1 mg',
    ]);
    // An intensity above 100 % is not a percentage: the exercise is left out.
    expect(notesOf(Uint8Array.of(0x08, 0x01, 0x00, 0x3c, 0x00, 0x65))).toEqual([]);
    // A short bout of exercise is said in seconds.
    expect(notesOf(Uint8Array.of(0x08, 0x01, 0x00, 0x2d, 0x00, 0x32))).toEqual([
      'Exercise: 45 s at 50% intensity',
    ]);
  });
});
