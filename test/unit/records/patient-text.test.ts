import { describe, expect, it } from 'vitest';
import { dateInWords } from '../../../shared/records/date-words';
import { newPatientSchema, patientCorrectionSchema } from '../../../shared/records/patient';
import { SAFE_TEXT_MESSAGES } from '../../../shared/records/safe-text';
import { startEncounterSchema } from '../../../shared/records/encounter';

const patient = {
  mrn: 'T-1',
  family: 'Okafor',
  given: 'Adaeze',
  birthDate: '1962-03-14',
  sex: 'female',
};

function messagesOf(input: object): string[] {
  const parsed = newPatientSchema.safeParse({ ...patient, ...input });
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

const isoDaysFromToday = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('registration refuses text that hides something', () => {
  it('refuses a family name with a right-to-left override', () => {
    expect(messagesOf({ family: 'Smith\u202Eevil' })).toEqual([SAFE_TEXT_MESSAGES.bidi]);
  });
  it('refuses a given name of zero-width spaces', () => {
    expect(messagesOf({ given: '\u200B\u200B\u200B' })).toEqual([SAFE_TEXT_MESSAGES.invisible]);
  });
  it('refuses a phone number with escape characters', () => {
    expect(messagesOf({ phone: '555\u001B[2J0100' })).toEqual([SAFE_TEXT_MESSAGES.control]);
  });
  it('stores names in NFC: an e and a combining accent become one é', () => {
    const parsed = newPatientSchema.parse({ ...patient, given: 'Rene\u0301e' });
    expect(parsed.given).toBe('Ren\u00E9e');
  });
  it('keeps ordinary names in any script', () => {
    expect(messagesOf({ family: 'محمد', given: "O'Brien-Núñez" })).toEqual([]);
  });
  it('a correction is held to the same rule, and so is a visit reason', () => {
    const correction = patientCorrectionSchema.safeParse({
      patientId: '00000000-0000-4000-8000-000000000000',
      expectedUpdatedAt: 'x',
      changes: { family: 'A\u2066B' },
      reason: 'Typo at the desk',
    });
    expect(correction.success).toBe(false);
    const visit = startEncounterSchema.safeParse({
      patientId: '00000000-0000-4000-8000-000000000000',
      reason: 'check\u0007',
    });
    expect(visit.success).toBe(false);
  });
});

describe('birth dates', () => {
  it('refuses a date in the future and accepts today', () => {
    expect(messagesOf({ birthDate: isoDaysFromToday(1) })).toEqual(['A birth date cannot be in the future.']);
    expect(messagesOf({ birthDate: '2062-03-14' })).toEqual(['A birth date cannot be in the future.']);
    expect(messagesOf({ birthDate: isoDaysFromToday(0) })).toEqual([]);
  });
  it('refuses more than 130 years ago', () => {
    const year = new Date().getUTCFullYear();
    expect(messagesOf({ birthDate: `${year - 131}-01-01` })[0]).toMatch(/more than 130 years/);
    expect(messagesOf({ birthDate: `${year - 129}-01-01` })).toEqual([]);
  });
  it('echoes a real date in words and nothing for an impossible one', () => {
    expect(dateInWords('1962-03-14')).toBe('14 March 1962');
    expect(dateInWords('1961-02-30')).toBeUndefined();
    expect(dateInWords('03/14/1962')).toBeUndefined();
  });
});
