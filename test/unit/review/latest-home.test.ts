/**
 * A vital the clinic has not measured shows the patient's newest own value beside "Not taken": the
 * newest by time (not file order), of the same measure only, and never a blood pressure without its
 * diastolic or a value that is not a number.
 */
import { describe, expect, it } from 'vitest';
import type { HomeObservation } from '../../../shared/home-data/import-summary';
import { latestHomeOf } from '../../../renderer/src/screens/review/trends';

let n = 0;
function home(
  measure: HomeObservation['measure'],
  value: number,
  at: string,
  extra: Partial<HomeObservation> = {},
) {
  n += 1;
  return {
    id: `h${n}`,
    format: 'dexcom-clarity',
    measure,
    value,
    unit: 'mg/dL',
    effectiveStart: at,
    sourceName: 'Dexcom Clarity',
    device: 'G7',
    ...extra,
  } as HomeObservation;
}

describe('the newest home value of a vital', () => {
  it('is the latest by time, of that measure only', () => {
    const values = [
      home('glucose', 142, '2026-11-30T08:00:00Z'),
      home('glucose', 155, '2026-11-30T09:05:00Z'),
      // Later in the list, earlier in time (files are not always in order).
      home('glucose', 120, '2026-11-30T07:00:00Z'),
      home('heartRate', 61, '2026-11-30T10:00:00Z'),
    ];
    expect(latestHomeOf('glucose', values)?.value).toBe(155);
    expect(latestHomeOf('heartRate', values)?.value).toBe(61);
    expect(latestHomeOf('spo2', values)).toBeNull();
  });

  it('is nothing for a vital no home device measures, and skips what cannot be shown', () => {
    const values = [
      home('bloodPressure', 128, '2026-11-30T08:00:00Z', { diastolic: 82 }),
      home('bloodPressure', 190, '2026-11-30T09:00:00Z'),
      home('bodyTemperature', Number.NaN, '2026-11-30T10:00:00Z'),
    ];
    expect(latestHomeOf('consciousness', values)).toBeNull();
    expect(latestHomeOf('painScore', values)).toBeNull();
    expect(latestHomeOf('bloodPressure', values)).toMatchObject({ value: 128, diastolic: 82 });
    expect(latestHomeOf('bodyTemperature', values)).toBeNull();
  });
});
