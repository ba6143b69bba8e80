import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  parseNumber,
  VITAL_FIELDS,
  type Draft,
} from '../../../renderer/src/screens/intake/vital-fields';

const field = (kind: string) => {
  const f = VITAL_FIELDS.find((x) => x.kind === kind);
  if (!f) throw new Error(`no field ${kind}`);
  return f;
};
const draft = (patch: Partial<Draft>): Draft => ({
  value: '',
  second: '',
  unit: '',
  site: '',
  onOxygen: false,
  flow: '',
  code: '',
  ...patch,
});

describe('intake entry: parse, convert to canonical units, refuse typos', () => {
  it.each([
    ['72', 72],
    [' 37,2 ', 37.2],
    ['-3', -3],
    ['98.', null],
    ['7 2', null],
    ['', null],
    ['1e3', null],
    ['abc', null],
  ])('parseNumber(%j) → %j', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it('stores °F, lb, in and mmol/L entries in the canonical UCUM unit', () => {
    const t = checkDraft(field('bodyTemperature'), draft({ value: '98.6', unit: '[degF]', site: 'oral' }));
    expect(t.ok && t.value.value).toBeCloseTo(37, 6);
    expect(t.ok && t.value.bodySite).toBe('oral');
    const w = checkDraft(field('bodyWeight'), draft({ value: '154', unit: '[lb_av]' }));
    expect(w.ok && w.value.value).toBeCloseTo(69.853, 3);
    const h = checkDraft(field('bodyHeight'), draft({ value: '70', unit: '[in_i]' }));
    expect(h.ok && h.value.value).toBeCloseTo(177.8, 6);
    const g = checkDraft(field('glucose'), draft({ value: '5.5', unit: 'mmol/L' }));
    expect(g.ok && g.value.value).toBeCloseTo(99.088, 3);
  });

  it('refuses an implausible value with a sentence that names the range', () => {
    const hr = checkDraft(field('heartRate'), draft({ value: '720', unit: '/min' }));
    expect(hr.ok).toBe(false);
    if (!hr.ok) expect(hr.message).toMatch(/20.*300/);
    const temp = checkDraft(field('bodyTemperature'), draft({ value: '98.6', unit: 'Cel' }));
    expect(temp.ok).toBe(false);
  });

  it('records blood pressure as systolic, diastolic and computed MAP components', () => {
    const bp = checkDraft(field('bloodPressure'), draft({ value: '120', second: '80', unit: 'mm[Hg]' }));
    expect(bp).toEqual({
      ok: true,
      value: {
        components: [
          { kind: 'systolic', value: 120 },
          { kind: 'diastolic', value: 80 },
          { kind: 'meanArterialPressure', value: 93 },
        ],
      },
    });
    const swapped = checkDraft(field('bloodPressure'), draft({ value: '80', second: '120', unit: 'mm[Hg]' }));
    expect(swapped.ok).toBe(false);
    const kpa = checkDraft(field('bloodPressure'), draft({ value: '16', second: '10.7', unit: 'kPa' }));
    expect(kpa.ok && kpa.value.components?.[0]).toEqual({ kind: 'systolic', value: 120 });
  });

  it('on oxygen, SpO2 needs the flow and carries it as a component', () => {
    const spo2 = field('spo2');
    expect(checkDraft(spo2, draft({ value: '94', unit: '%', onOxygen: true })).ok).toBe(false);
    expect(checkDraft(spo2, draft({ value: '94', unit: '%', onOxygen: true, flow: '2' }))).toEqual({
      ok: true,
      value: { value: 94, components: [{ kind: 'inhaledOxygenFlow', value: 2 }] },
    });
    expect(checkDraft(spo2, draft({ value: '97', unit: '%' }))).toEqual({ ok: true, value: { value: 97 } });
  });

  it('consciousness needs a level', () => {
    expect(checkDraft(field('consciousness'), draft({})).ok).toBe(false);
    expect(checkDraft(field('consciousness'), draft({ code: 'V' }))).toEqual({
      ok: true,
      value: { valueCode: 'V' },
    });
  });

  it('gives every field its own shortcut', () => {
    const keys = VITAL_FIELDS.map((f) => f.shortcut);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
