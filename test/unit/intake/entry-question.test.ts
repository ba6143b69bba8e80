import { describe, expect, it } from 'vitest';
import { entryQuestion, refusalQuestion } from '../../../renderer/src/screens/intake/entry-question';
import { VITAL_FIELDS } from '../../../renderer/src/screens/intake/vital-fields';
import type { Observation } from '../../../shared/records';

const NOW = new Date('2026-12-01T12:00:00Z');
const field = (kind: string) => {
  const f = VITAL_FIELDS.find((x) => x.kind === kind);
  if (!f) throw new Error(`no field ${kind}`);
  return f;
};
const stored = (patch: Partial<Observation>): Observation => ({
  id: 'o1',
  seriesId: 'o1',
  versionOf: null,
  patientId: 'p1',
  encounterId: null,
  code: '',
  kind: 'bodyWeight',
  value: null,
  valueCode: null,
  unit: null,
  components: [],
  bodySite: null,
  effectiveAt: '2026-11-12T12:00:00Z',
  recordedAt: '2026-11-12T12:00:00Z',
  recordedBy: 'u1',
  method: 'manual',
  device: null,
  deviceNotes: [],
  status: 'final',
  reason: null,
  ...patch,
});

describe('entryQuestion', () => {
  it('an ordinary value is saved at once', () => {
    expect(
      entryQuestion({
        field: field('respiratoryRate'),
        value: { value: 14 },
        enteredUnit: '/min',
        latest: undefined,
        now: NOW,
      }),
    ).toBeNull();
  });

  it('respiratory rate 2 asks for the outer-band confirmation, saving it as typed', () => {
    const q = entryQuestion({
      field: field('respiratoryRate'),
      value: { value: 2 },
      enteredUnit: '/min',
      latest: undefined,
      now: NOW,
    });
    expect(q).toEqual({
      value: { value: 2 },
      confirmations: ['outer-band'],
      question: {
        sentences: [
          'Respiratory rate 2 breaths/min is below 6 breaths/min. That is rare: is it what you measured?',
        ],
        saveLabel: 'Save 2 breaths/min',
        alternativeLabel: undefined,
      },
      alternative: null,
    });
  });

  it('weight 187 kg after 85 kg offers 187 lb as the alternative value, in kg', () => {
    const q = entryQuestion({
      field: field('bodyWeight'),
      value: { value: 187 },
      enteredUnit: 'kg',
      latest: stored({ kind: 'bodyWeight', value: 85 }),
      now: NOW,
    });
    expect(q?.confirmations).toEqual(['jump']);
    expect(q?.question.sentences).toEqual([
      '187 kg — last was 85 kg on 12 Nov. Did you mean 187 lb (84.8 kg)?',
    ]);
    expect(q?.question.saveLabel).toBe('Save 187 kg');
    expect(q?.question.alternativeLabel).toBe('Save 187 lb (84.8 kg)');
    expect(q?.alternative?.value).toBeCloseTo(84.8218, 4);
  });

  it('a blood pressure in kPa: both sides named in the entered unit, no unit offered', () => {
    const q = entryQuestion({
      field: field('bloodPressure'),
      value: {
        components: [
          { kind: 'systolic', value: 232 },
          { kind: 'diastolic', value: 96 },
          { kind: 'meanArterialPressure', value: 141 },
        ],
      },
      enteredUnit: 'kPa',
      latest: undefined,
      now: NOW,
    });
    expect(q?.question.sentences).toEqual([
      'Systolic blood pressure 30.9 kPa is above 29.3 kPa. That is rare: is it what you measured?',
    ]);
    expect(q?.question.saveLabel).toBe('Save 30.9/12.8 kPa');
    expect(q?.alternative).toBeNull();
  });

  it('a blood pressure jump names the side that jumped', () => {
    const q = entryQuestion({
      field: field('bloodPressure'),
      value: {
        components: [
          { kind: 'systolic', value: 180 },
          { kind: 'diastolic', value: 82 },
        ],
      },
      enteredUnit: 'mm[Hg]',
      latest: stored({
        kind: 'bloodPressure',
        effectiveAt: '2026-11-30T12:00:00Z',
        components: [
          { kind: 'systolic', code: '8480-6', value: 120, unit: 'mm[Hg]' },
          { kind: 'diastolic', code: '8462-4', value: 80, unit: 'mm[Hg]' },
        ],
      }),
      now: new Date('2026-11-30T12:30:00Z'),
    });
    expect(q?.confirmations).toEqual(['jump']);
    expect(q?.question.sentences).toEqual([
      expect.stringMatching(
        /^Systolic blood pressure: 180 mmHg — last was 120 mmHg at \d\d:\d\d, a change of more than 50 mmHg within 1 hour\. Is that right\?$/,
      ),
    ]);
    expect(q?.question.saveLabel).toBe('Save 180/82 mmHg');
  });

  it('SpO2 with a rare oxygen flow: the flow is named in L/min, not in %', () => {
    const q = entryQuestion({
      field: field('spo2'),
      value: { value: 94, components: [{ kind: 'inhaledOxygenFlow', value: 25 }] },
      enteredUnit: '%',
      latest: undefined,
      now: NOW,
    });
    expect(q?.question.sentences).toEqual([
      'Inhaled oxygen flow rate 25 L/min is above 15 L/min. That is rare: is it what you measured?',
    ]);
  });

  it('main’s refusal becomes a question with its own sentences', () => {
    expect(refusalQuestion({ value: 120 }, ['This body weight differs …'], ['jump'])).toEqual({
      value: { value: 120 },
      confirmations: ['jump'],
      question: { sentences: ['This body weight differs …'], saveLabel: 'Save anyway' },
      alternative: null,
    });
  });
});
