/**
 * The guideline flags of a patient's latest vitals, the same in the review screen, the printed summary
 * and main's check before a sign-off (a red flag needs a review note).
 */
import { bodyMassIndex } from '../clinical/derived';
import {
  guidelineFlags,
  mealContextFromNotes,
  type BpGuideline,
  type GuidelineFlag,
} from '../clinical/guidelines';
import { computeNews2 } from '../clinical/news2';
import { componentValue, isOnOxygen, news2InputOf, type Observation, type ObservationKind } from '../records';

export function reviewFlags(
  latest: ReadonlyMap<ObservationKind, Observation>,
  bpGuideline: BpGuideline,
): GuidelineFlag[] {
  const bp = latest.get('bloodPressure');
  const value = (kind: ObservationKind) => latest.get(kind)?.value ?? undefined;
  const spo2 = latest.get('spo2');
  const glucose = latest.get('glucose');
  const weight = value('bodyWeight');
  const height = value('bodyHeight');
  const bmi = value('bmi') ?? (weight && height ? bodyMassIndex(weight, height) : undefined);
  return guidelineFlags(
    {
      systolic: bp ? componentValue(bp, 'systolic') : value('systolic'),
      diastolic: bp ? componentValue(bp, 'diastolic') : value('diastolic'),
      spo2: spo2?.value ?? undefined,
      onOxygen: spo2 ? isOnOxygen(spo2) : undefined,
      temperature: value('bodyTemperature'),
      glucose:
        glucose?.value != null
          ? { value: glucose.value, meal: mealContextFromNotes(glucose.deviceNotes) }
          : undefined,
      bmi,
      news2: computeNews2(news2InputOf(latest)),
    },
    bpGuideline,
  );
}
