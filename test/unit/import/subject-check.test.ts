/**
 * Is this export the patient's: each detail the file states is compared with the chart, and a name the
 * file prints (a watch ECG's) is compared and never handed on.
 */
import { describe, expect, it } from 'vitest';
import { checkSubject } from '../../../main/import/subject-check';

const CHART = { birthDate: '1961-04-12', sex: 'female', given: 'Adaeze', family: 'Okonkwo' };

describe('checkSubject', () => {
  it.each([
    ['nothing stated', null, [], []],
    ['the same birth date and sex', { birthDate: '1961-04-12', sex: 'female' as const }, [], []],
    ['a birth date with a time', { birthDate: '1961-04-12T00:00:00Z' }, [], []],
    ['another birth date', { birthDate: '1961-04-13' }, [], ['birth date']],
    ['another sex', { sex: 'male' as const }, [], ['sex']],
    ['the chart’s name, any case and accents', null, ['OKONKWÖ, adaeze'], []],
    ['another name', null, ['Chidi Eze'], ['name']],
    ['one of several printed names another', null, ['Adaeze Okonkwo', 'Chidi Eze'], ['name']],
    [
      'everything different',
      { birthDate: '1970-01-01', sex: 'male' as const },
      ['Chidi Eze', 'Ngozi Eze'],
      ['name', 'birth date', 'sex'],
    ],
  ])('%s', (_, subject, names, mismatches) => {
    const check = checkSubject(subject, CHART, names);
    expect(check.mismatches).toEqual(mismatches);
    // The preview shows what the file stated, and never a printed name.
    expect(check.subject).toEqual(subject);
    expect(JSON.stringify(check)).not.toMatch(/Eze|OKONKW/);
  });

  it('compares no sex when the chart does not know it', () => {
    expect(checkSubject({ sex: 'male' }, { ...CHART, sex: 'unknown' }).mismatches).toEqual([]);
  });
});
