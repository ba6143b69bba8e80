import { describe, expect, it } from 'vitest';
import { glucoseContextNotes, parseGlucoseContext } from '../../../../main/devices/ble/profiles/glucose';
import { encodeGlucoseContext, sfloat } from '../../../sim/ble/encoders';
import { expectOk } from './table';

// Glucose Measurement Context (GATT Specification Supplement §3.105): the fields follow in flag order,
// each only when its flag is set. A byte is read as the meal only when the meal flag says one is there.
describe('Glucose context fields in flag order', () => {
  it('without a meal, the tester byte is not read as the meal', () => {
    // Tester 2 (health professional) with health 0: the byte is 0x02, which as a meal would read "postprandial".
    const context = expectOk(
      parseGlucoseContext(encodeGlucoseContext({ sequenceNumber: 7, tester: 2, health: 0 })),
    );
    expect(context).toEqual({ sequenceNumber: 7, tester: 'a health professional' });
    expect(glucoseContextNotes(context)).toEqual(['Tested by a health professional']);
  });

  it('skips carbohydrate and extended flags before the meal and tester', () => {
    const context = expectOk(
      parseGlucoseContext(
        encodeGlucoseContext({
          sequenceNumber: 8,
          extendedFlags: 0x03,
          carbohydrate: { id: 2, kg: sfloat(5, -2) },
          meal: 1,
          tester: 1,
          health: 0,
        }),
      ),
    );
    expect(context).toEqual({
      sequenceNumber: 8,
      carbohydrate: { grams: 50, meal: 'lunch' },
      meal: 'preprandial',
      tester: 'the patient',
    });
    expect(glucoseContextNotes(context)).toEqual([
      'Meal: Before a meal',
      'Tested by the patient',
      'Carbohydrate: 50 g (lunch)',
    ]);
  });

  it('a meal with no tester, and a tester "not available", give only what is known', () => {
    const mealOnly = expectOk(parseGlucoseContext(encodeGlucoseContext({ sequenceNumber: 9, meal: 4 })));
    expect(mealOnly).toEqual({ sequenceNumber: 9, meal: 'casual' });
    expect(glucoseContextNotes(mealOnly)).toEqual(['Meal: Casual (not timed to a meal)']);
    const unknownTester = expectOk(
      parseGlucoseContext(encodeGlucoseContext({ sequenceNumber: 10, meal: 5, tester: 15, health: 0 })),
    );
    expect(unknownTester).toEqual({ sequenceNumber: 10, meal: 'bedtime' });
  });
});
