/**
 * Finding and correcting patients at the front desk, on a real encrypted database: names as people
 * type them (accents, ligatures, case, extra spaces), MRN prefixes, birth dates, characters that mean
 * something to SQL's LIKE, lists without contact details, and corrections on a clock set back.
 * People are invented.
 */
import { describe, expect, it } from 'vitest';
import { normaliseName } from '../../../main/db/repositories/patients';
import { openFixture } from './fixtures';
import { errorOf } from './helpers';

const base = { birthDate: '1970-01-01', sex: 'female' } as const;

describe('names as the search compares them', () => {
  it.each([
    ['José', 'jose'],
    ['SØREIDE', 'soreide'],
    ['Ærøskøbing', 'aeroskobing'],
    ['Œuvre', 'oeuvre'],
    ['Straße', 'strasse'],
    ['Đorđević', 'dordevic'],
    ['Łukasz', 'lukasz'],
    ['Þórsdóttir', 'thorsdottir'],
    ['  Mary   Ann\tLee ', 'mary ann lee'],
    ['ＡＢＥ', 'abe'],
    ['İlkay', 'ilkay'],
  ])('%s reads as %s', (typed, normalised) => {
    expect(normaliseName(typed)).toBe(normalised);
  });
});

describe('finding patients', () => {
  function desk() {
    const f = openFixture();
    const add = (
      mrn: string,
      family: string,
      given: string,
      extra: Partial<{ birthDate: string; phone: string }> = {},
    ) => {
      f.clock.advance(1_000);
      return f.patients.registerPatient({ ...base, mrn, family, given, ...extra });
    };
    return { f, add };
  }

  it('by MRN prefix in any case, MRNs stored in capitals, and the MRN match listed first', () => {
    const { f, add } = desk();
    const byName = add('Q-900', 'Abraham', 'Ab');
    const byMrn = add('ab-12', 'Zeller', 'Kim');
    expect(byMrn.mrn).toBe('AB-12');
    expect(f.patients.findPatients({ query: 'ab' }).map((p) => p.id)).toEqual([byMrn.id, byName.id]);
    // A prefix only: the middle of an MRN is not a match.
    expect(f.patients.findPatients({ query: 'B-12' })).toEqual([]);
    f.db.close();
  });

  it('by any part of the name, family or given, ordered by name', () => {
    const { f, add } = desk();
    const zoe = add('M-1', 'Zorn', 'Ann-Marie');
    const ann = add('M-2', 'Annan', 'Kofi');
    const lee = add('M-3', 'Lee', 'Mary Ann');
    expect(f.patients.findPatients({ query: 'ann' }).map((p) => p.id)).toEqual([ann.id, lee.id, zoe.id]);
    expect(f.patients.findPatients({ query: 'mary  ann' }).map((p) => p.id)).toEqual([lee.id]);
    expect(f.patients.findPatients({ query: 'lee mary' }).map((p) => p.id)).toEqual([lee.id]);
    expect(f.patients.findPatients({ query: 'ann', limit: 2 }).map((p) => p.id)).toEqual([ann.id, lee.id]);
    f.db.close();
  });

  it('treats %, _ and \\ in a query as the characters themselves', () => {
    const { f, add } = desk();
    const percent = add('P-1', 'Hundred%', 'Per');
    const under = add('P-2', 'Under_score', 'Una');
    const slash = add('P-3', 'Back\\slash', 'Bo');
    add('P-4', 'Underxscore', 'Ulf');
    add('P-5', 'Hundreds', 'Hal');
    expect(f.patients.findPatients({ query: 'd%' }).map((p) => p.id)).toEqual([percent.id]);
    expect(f.patients.findPatients({ query: 'r_s' }).map((p) => p.id)).toEqual([under.id]);
    expect(f.patients.findPatients({ query: 'k\\s' }).map((p) => p.id)).toEqual([slash.id]);
    expect(f.patients.findPatients({ query: '_' }).map((p) => p.id)).toEqual([under.id]);
    // MRN prefixes are escaped too: "P_" is not "P-".
    expect(f.patients.findPatients({ query: 'P_' })).toEqual([]);
    expect(f.patients.findPatients({ query: '%' })).toEqual(
      [percent.id].map((id) => expect.objectContaining({ id })),
    );
    f.db.close();
  });

  it('by birth date, ordered by name and limited; a date-like name part is not a date', () => {
    const { f, add } = desk();
    const b = add('D-2', 'Berg', 'Bo', { birthDate: '1944-02-29' });
    const a = add('D-1', 'Adler', 'Al', { birthDate: '1944-02-29' });
    add('D-3', 'Cole', 'Cy', { birthDate: '1944-03-01' });
    expect(f.patients.findPatients({ query: '1944-02-29' }).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(f.patients.findPatients({ query: '1944-02-29', limit: 1 }).map((p) => p.id)).toEqual([a.id]);
    // Not a whole date: searched as text (no MRN or name holds it).
    expect(f.patients.findPatients({ query: '1944-02' })).toEqual([]);
    expect(f.patients.findPatients({ query: 'x1944-02-29' })).toEqual([]);
    expect(f.patients.findPatients({ query: '1944-02-29x' })).toEqual([]);
    f.db.close();
  });

  it('lists without contact details; opening a patient gives them', () => {
    const { f, add } = desk();
    const p = add('C-1', 'Contact', 'Cara', { phone: '+44 20 7946 0123' });
    const [found] = f.patients.findPatients({ query: 'cara' });
    expect(found).toEqual({
      id: p.id,
      mrn: 'C-1',
      family: 'Contact',
      given: 'Cara',
      birthDate: '1970-01-01',
      sex: 'female',
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    });
    expect(f.patients.recentPatients()[0]).toEqual(found);
    expect(f.patients.getPatient(p.id)).toMatchObject({ phone: '+44 20 7946 0123', email: null });
    expect(errorOf(() => f.patients.getPatient('no-such-patient')).toPayload()).toEqual({
      code: 'NOT_FOUND',
      message: 'This patient could not be found.',
    });
    f.db.close();
  });

  it('lists recent patients up to the limit asked, 20 by default', () => {
    const { f, add } = desk();
    const ids = Array.from({ length: 22 }, (_, i) => add(`R-${i}`, 'Recent', `N${i}`).id);
    expect(f.patients.recentPatients()).toHaveLength(20);
    expect(f.patients.recentPatients(3).map((p) => p.id)).toEqual(ids.slice(-3).reverse());
    f.db.close();
  });
});

describe('correcting a patient', () => {
  it('keeps only the fields that changed, and is later than the last change even with the clock set back', () => {
    const f = openFixture(new Date('2026-03-01T09:00:00Z'));
    const p = f.patients.registerPatient({ ...base, mrn: 'K-1', family: 'Kowalsky', given: 'Ola' });
    // The workstation's clock goes back an hour (a time sync).
    f.clock.advance(-60 * 60_000);
    const corrected = f.patients.correctPatient(
      {
        patientId: p.id,
        expectedUpdatedAt: p.updatedAt,
        changes: { family: 'Kowalski', given: 'Ola', phone: '+48 22 000 00 00' },
        reason: 'Checked against ID card',
      },
      'nurse-1',
    );
    expect(corrected.updatedAt).toBe('2026-03-01T09:00:00.001Z');
    expect(corrected).toMatchObject({
      family: 'Kowalski',
      given: 'Ola',
      phone: '+48 22 000 00 00',
      mrn: 'K-1',
    });
    expect(f.patients.getPatient(p.id)).toEqual(corrected);
    // The search follows the corrected name.
    expect(f.patients.findPatients({ query: 'kowalski' }).map((x) => x.id)).toEqual([p.id]);
    expect(f.patients.findPatients({ query: 'kowalsky' })).toEqual([]);
    const [record] = f.patients.patientCorrections(p.id);
    expect(record).toMatchObject({
      correctedAt: '2026-03-01T09:00:00.001Z',
      correctedBy: { id: 'nurse-1', displayName: 'Vitals Desk user' },
      reason: 'Checked against ID card',
      previous: { family: 'Kowalsky', phone: null },
    });
    expect(Object.keys(record!.previous).sort()).toEqual(['family', 'phone']);

    // A correction with the clock right again is dated by the clock, and listed first.
    f.clock.advance(2 * 60 * 60_000);
    const again = f.patients.correctPatient(
      { patientId: p.id, expectedUpdatedAt: corrected.updatedAt, changes: { sex: 'male' }, reason: 'Asked' },
      'nurse-2',
    );
    expect(again.updatedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(f.patients.patientCorrections(p.id).map((c) => c.reason)).toEqual([
      'Asked',
      'Checked against ID card',
    ]);
    f.db.close();
  });

  it('refuses an unknown patient, a stale copy and no change, and saves nothing', () => {
    const f = openFixture();
    const p = f.patients.registerPatient({ ...base, mrn: 'K-2', family: 'Stale', given: 'Sam' });
    const correct = (patientId: string, expectedUpdatedAt: string, changes: Record<string, string>) =>
      errorOf(() =>
        f.patients.correctPatient({ patientId, expectedUpdatedAt, changes, reason: 'Because' }, 'nurse-1'),
      );
    expect(correct('0190aaaa-0000-7000-8000-000000000000', p.updatedAt, { family: 'X' }).toPayload()).toEqual(
      {
        code: 'NOT_FOUND',
        message: 'This patient could not be found.',
      },
    );
    expect(correct(p.id, '2026-01-01T00:00:00.000Z', { family: 'Other' }).toPayload()).toEqual({
      code: 'CONFLICT',
      message:
        'Someone else changed this patient’s details while you were editing. Check them and correct again.',
    });
    expect(correct(p.id, p.updatedAt, { family: 'Stale', given: 'Sam' }).code).toBe('BAD_REQUEST');
    // A second registration of the same MRN (in any case) points to the search, naming no one.
    const again = errorOf(() =>
      f.patients.registerPatient({ ...base, mrn: 'k-2', family: 'Other', given: 'Ola' }),
    );
    expect(again.toPayload()).toEqual({
      code: 'CONFLICT',
      message: 'A patient with this medical record number is already registered.',
      issues: [{ path: 'mrn', message: 'Already registered: search for the patient instead.' }],
    });
    expect(f.patients.getPatient(p.id)).toEqual(p);
    expect(f.patients.patientCorrections(p.id)).toEqual([]);
    f.db.close();
  });
});
