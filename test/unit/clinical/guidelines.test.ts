import { describe, expect, it } from 'vitest';
import {
  anyRed,
  classifyBloodPressure,
  classifyBmi,
  classifyGlucose,
  classifySpo2,
  classifyTemperature,
  guidelineFlags,
  mealContextFromNotes,
} from '../../../shared/clinical/guidelines';
import { computeNews2 } from '../../../shared/clinical/news2';

describe('blood pressure by guideline', () => {
  it('puts the hypertension follow-up 168/98 in stage 2 (ACC/AHA 2017) and grade 2 (ESC/ESH 2023)', () => {
    const acc = classifyBloodPressure(168, 98, 'acc-aha-2017');
    expect(acc).toMatchObject({
      guideline: 'ACC/AHA 2017',
      category: 'Stage 2 hypertension',
      level: 'amber',
    });
    expect(acc.rule).toBe('systolic 140 or more and diastolic 90 or more');
    const esc = classifyBloodPressure(168, 98, 'esc-esh-2023');
    expect(esc).toMatchObject({
      guideline: 'ESC/ESH 2023',
      category: 'Grade 2 hypertension',
      level: 'amber',
    });
    // Systolic decides (160–179); the diastolic 98 alone would be grade 1.
    expect(esc.rule).toBe('systolic 160–179');
    expect(classifyBloodPressure(168, 98).guideline).toBe('ACC/AHA 2017');
  });

  it.each([
    // [systolic, diastolic, ACC/AHA 2017 category]
    [119, 79, 'Normal'],
    [120, 79, 'Elevated'],
    [129, 79, 'Elevated'],
    [130, 79, 'Stage 1 hypertension'],
    [119, 80, 'Stage 1 hypertension'],
    [125, 80, 'Stage 1 hypertension'],
    [139, 89, 'Stage 1 hypertension'],
    [140, 70, 'Stage 2 hypertension'],
    [119, 90, 'Stage 2 hypertension'],
    [180, 120, 'Stage 2 hypertension'],
    [181, 80, 'Severe hypertension (over 180/120)'],
    [150, 121, 'Severe hypertension (over 180/120)'],
    [180.4, 100, 'Severe hypertension (over 180/120)'],
  ])('ACC/AHA 2017: %s/%s is %s', (sys, dia, category) => {
    expect(classifyBloodPressure(sys, dia, 'acc-aha-2017').category).toBe(category);
  });

  it.each([
    [119, 79, 'Optimal'],
    [120, 79, 'Normal'],
    [119, 80, 'Normal'],
    [129, 84, 'Normal'],
    [130, 70, 'High normal'],
    [110, 85, 'High normal'],
    [139, 89, 'High normal'],
    [140, 80, 'Grade 1 hypertension, isolated systolic'],
    [130, 90, 'Grade 1 hypertension'],
    [159, 99, 'Grade 1 hypertension'],
    [160, 95, 'Grade 2 hypertension'],
    [150, 100, 'Grade 2 hypertension'],
    [179, 109, 'Grade 2 hypertension'],
    [180, 95, 'Grade 3 hypertension'],
    [150, 110, 'Grade 3 hypertension'],
  ])('ESC/ESH 2023: %s/%s is %s', (sys, dia, category) => {
    expect(classifyBloodPressure(sys, dia, 'esc-esh-2023').category).toBe(category);
  });

  it('makes only the top band red', () => {
    expect(classifyBloodPressure(181, 90, 'acc-aha-2017').level).toBe('red');
    expect(classifyBloodPressure(180, 119, 'acc-aha-2017').level).toBe('amber');
    expect(classifyBloodPressure(180, 90, 'esc-esh-2023').level).toBe('red');
    expect(classifyBloodPressure(179, 109, 'esc-esh-2023').level).toBe('amber');
    expect(classifyBloodPressure(125, 75, 'acc-aha-2017').level).toBe('info');
  });
});

describe('glucose (ADA) with the meter meal context', () => {
  it.each([
    [53, null, 'Level 2 hypoglycaemia', 'red'],
    [54, 'fasting', 'Level 1 hypoglycaemia', 'amber'],
    [69, 'postprandial', 'Level 1 hypoglycaemia', 'amber'],
    [70, 'fasting', 'Fasting: normal', 'normal'],
    [99, 'fasting', 'Fasting: normal', 'normal'],
    [100, 'fasting', 'Fasting: prediabetes range', 'info'],
    [125, 'fasting', 'Fasting: prediabetes range', 'info'],
    [126, 'fasting', 'Fasting: diabetes range', 'amber'],
    [126, 'postprandial', 'Random: below 200', 'normal'],
    [199, null, 'Random: below 200', 'normal'],
    [200, null, 'Random: diabetes range', 'amber'],
    [200, 'preprandial', 'Random: diabetes range', 'amber'],
  ] as const)('%s mg/dL (%s) is %s', (value, meal, category, level) => {
    expect(classifyGlucose(value, meal)).toMatchObject({
      category,
      level,
      guideline: 'ADA Standards of Care',
    });
  });

  it('says when the meter sent no meal context', () => {
    expect(classifyGlucose(210, null).rule).toContain('no meal context');
    expect(classifyGlucose(210, 'casual').rule).toContain('meter: not fasting');
  });

  it('reads the meal context from the device note the glucose profile writes', () => {
    expect(mealContextFromNotes(['Sample: capillary whole blood', 'Meal: Fasting'])).toBe('fasting');
    expect(mealContextFromNotes(['Meal: After a meal'])).toBe('postprandial');
    expect(mealContextFromNotes(['Meal: Before a meal'])).toBe('preprandial');
    expect(mealContextFromNotes(['Fasting?'])).toBeNull();
    expect(mealContextFromNotes([])).toBeNull();
  });
});

describe('BMI (WHO), SpO₂ on air, fever', () => {
  it.each([
    [18.4, 'Underweight'],
    [18.45, 'Normal weight'],
    [18.5, 'Normal weight'],
    [24.9, 'Normal weight'],
    [25, 'Pre-obesity'],
    [29.9, 'Pre-obesity'],
    [30, 'Obesity class I'],
    [34.9, 'Obesity class I'],
    [35, 'Obesity class II'],
    [39.9, 'Obesity class II'],
    [40, 'Obesity class III'],
  ])('BMI %s is %s', (bmi, category) => {
    expect(classifyBmi(bmi).category).toBe(category);
  });

  it('flags SpO₂ below 92 % only on room air', () => {
    expect(classifySpo2(91, false)).toMatchObject({ level: 'red', rule: 'SpO₂ below 92 % on air' });
    expect(classifySpo2(92, false)?.level).toBe('normal');
    expect(classifySpo2(88, true)).toBeNull();
  });

  it.each([
    [37.9, 'No fever', 'normal'],
    [38.0, 'Fever', 'amber'],
    [39.9, 'Fever', 'amber'],
    [40.0, 'Hyperpyrexia', 'red'],
  ] as const)('%s °C is %s', (c, category, level) => {
    expect(classifyTemperature(c)).toMatchObject({ category, level });
  });
});

describe('all flags of one set of values', () => {
  it('lists NEWS2 first, names each rule, and needs a note when one is red', () => {
    const news2 = computeNews2({
      respiratoryRate: 18,
      spo2: 97,
      onOxygen: false,
      systolic: 168,
      pulse: 80,
      consciousness: 'alert',
      temperature: 36.9,
    });
    const calm = guidelineFlags(
      {
        systolic: 168,
        diastolic: 98,
        spo2: 97,
        onOxygen: false,
        temperature: 36.9,
        news2,
        glucose: { value: 131, meal: 'fasting' },
        bmi: 31.2,
      },
      'esc-esh-2023',
    );
    expect(calm.map((f) => [f.subject, f.category])).toEqual([
      ['news2', 'Low (0)'],
      ['bloodPressure', 'Grade 2 hypertension'],
      ['spo2', 'Not low on air'],
      ['temperature', 'No fever'],
      ['glucose', 'Fasting: diabetes range'],
      ['bmi', 'Obesity class I'],
    ]);
    expect(anyRed(calm)).toBe(false);
    const hypo = guidelineFlags({ glucose: { value: 48, meal: null } }, 'acc-aha-2017');
    expect(anyRed(hypo)).toBe(true);
    // Without diastolic there is no BP category: neither guideline classes a lone systolic.
    expect(guidelineFlags({ systolic: 190 }, 'acc-aha-2017')).toEqual([]);
  });
});
