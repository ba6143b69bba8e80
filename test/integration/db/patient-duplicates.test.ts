/**
 * The patient repository's own duplicate check and audit filter, on a real encrypted database: twins
 * share a birth date and a family name but are two people; a phone number matches by what is dialled
 * (a trunk 0 or an international 00 aside) only when at least 7 digits say who it is; and an
 * administrator's "MRN or name" filter finds the patient by exact MRN first, then by name.
 * People and numbers are invented.
 */
import { describe, expect, it } from 'vitest';
import { samePhone } from '../../../main/db/repositories/patients';
import { openFixture } from './fixtures';

function frontDesk() {
  const f = openFixture();
  const add = (mrn: string, family: string, given: string, birthDate: string, phone?: string) => {
    f.clock.advance(1_000);
    return f.patients.registerPatient({
      mrn,
      family,
      given,
      birthDate,
      sex: 'female',
      ...(phone ? { phone } : {}),
    });
  };
  // Twins: same family name and birth date, different given names.
  const amara = add('TW-1', 'Okafor', 'Amara', '2001-06-09', '+44 20 7946 0321');
  const chidi = add('TW-2', 'Okafor', 'Chidi', '2001-06-09');
  // Same given name and birth date as Amara, another family.
  const amaraB = add('TW-3', 'Brennan', 'Amara', '2001-06-09');
  // A seven-digit local number, as some clinics store them.
  const local = add('LC-1', 'Haddad', 'Rami', '1944-12-30', '794-6018');
  return { f, add, amara, chidi, amaraB, local };
}

describe('likely duplicates in the repository', () => {
  it('by name and birth date: both names must match, so twins and namesakes are not flagged', () => {
    const { f, amara, chidi, amaraB } = frontDesk();
    const likely = (family: string, given: string) =>
      f.patients.likelyDuplicates({ family, given, birthDate: '2001-06-09' });
    expect(likely('OKAFOR', 'amara')).toEqual([
      expect.objectContaining({ id: amara.id, matchedBy: ['name-and-birth-date'] }),
    ]);
    expect(likely('Okafor', 'Chidi').map((m) => m.id)).toEqual([chidi.id]);
    expect(likely('Brennan', 'Amara').map((m) => m.id)).toEqual([amaraB.id]);
    // The family name alone, or the given name alone, is not the same person.
    expect(likely('Okafor', 'Ngozi')).toEqual([]);
    expect(likely('Murphy', 'Amara')).toEqual([]);
    // The same names on another day are not flagged by name either.
    expect(
      f.patients.likelyDuplicates({ family: 'Okafor', given: 'Amara', birthDate: '2001-06-10' }),
    ).toEqual([]);
  });

  it('by phone: a seven-digit number is enough, and a number with spaces around it is read by its digits', () => {
    const { f, amara, local } = frontDesk();
    const byPhone = (phone: string) =>
      f.patients.likelyDuplicates({ family: 'New', given: 'Person', birthDate: '1990-01-01', phone });
    expect(byPhone('794 6018')).toEqual([expect.objectContaining({ id: local.id, matchedBy: ['phone'] })]);
    expect(byPhone('  020 7946 0321  ').map((m) => m.id)).toEqual([amara.id]);
    expect(byPhone('0044 20 7946 0321').map((m) => m.id)).toEqual([amara.id]);
    // The same person by name and birth date and by phone: one entry, both reasons.
    expect(
      f.patients.likelyDuplicates({
        family: 'Okafor',
        given: 'Amara',
        birthDate: '2001-06-09',
        phone: '07946 0321',
      }),
    ).toEqual([expect.objectContaining({ id: amara.id, matchedBy: ['name-and-birth-date', 'phone'] })]);
    // Six digits, or only spaces: nobody.
    expect(byPhone('946 018')).toEqual([]);
    expect(byPhone('   ')).toEqual([]);
  });
});

describe('the same phone', () => {
  it('needs seven digits on both sides, counted after any leading zeros', () => {
    // Exactly seven digits on each side.
    expect(samePhone('794 6018', '794-6018')).toBe(true);
    // A short number is not matched against the end of a long one, whichever side it is on.
    expect(samePhone('4600', '020 7946 4600')).toBe(false);
    expect(samePhone('020 7946 4600', '4600')).toBe(false);
    // Every leading zero goes (trunk 0, international 00) before counting: six digits stay too few,
    // whichever side carries the zeros.
    expect(samePhone('00 794 600', '30 794 600')).toBe(false);
    expect(samePhone('30 794 600', '00 794 600')).toBe(false);
    expect(samePhone('0044 20 7946 0321', '+44 20 7946 0321')).toBe(true);
    // Written the national way on one side and the international way on the other, either order.
    expect(samePhone('020 7946 0321', '+44 20 7946 0321')).toBe(true);
    expect(samePhone('+44 20 7946 0321', '020 7946 0321')).toBe(true);
  });
});

describe('patients by MRN or name (the audit trail filter)', () => {
  it('exact MRN in any case first, then names holding the text, and nothing for blank text', () => {
    const { f, add, amara, chidi, local } = frontDesk();
    // A patient whose name holds the other's MRN text: the exact MRN still wins.
    const named = add('XX-9', 'Tw-1son', 'Kai', '1980-01-01');
    expect(f.patients.patientIdsByMrnOrName('tw-1')).toEqual([amara.id]);
    expect(f.patients.patientIdsByMrnOrName('  LC-1 ')).toEqual([local.id]);
    // Not an MRN: every patient whose name holds it, as search reads names.
    expect(f.patients.patientIdsByMrnOrName('okaf').sort()).toEqual([amara.id, chidi.id].sort());
    expect(f.patients.patientIdsByMrnOrName('tw-1s')).toEqual([named.id]);
    expect(f.patients.patientIdsByMrnOrName('HADDAD')).toEqual([local.id]);
    // Blank, or only an accent mark (nothing left once names are compared): nobody, not everybody.
    expect(f.patients.patientIdsByMrnOrName('')).toEqual([]);
    expect(f.patients.patientIdsByMrnOrName('   ')).toEqual([]);
    expect(f.patients.patientIdsByMrnOrName('\u0301')).toEqual([]);
    expect(f.patients.patientIdsByMrnOrName('nobody-here')).toEqual([]);
  });
});
