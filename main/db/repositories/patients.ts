/** Patients: registration and search. Names are searched through a normalised column, never logged. */
import { AppError } from '../../../shared/ipc';
import {
  correctablePatientFields,
  newPatientSchema,
  patientCorrectionRecordSchema,
  patientCorrectionSchema,
  patientSearchSchema,
  type NewPatient,
  type Patient,
  type PatientCorrection,
  type PatientCorrectionRecord,
  type PatientSearch,
  type PatientSummary,
} from '../../../shared/records';
import type { Clock } from '../../platform/clock';
import { systemClock } from '../../platform/clock';
import type { Database } from '../connection';
import { withDbErrors } from '../errors';
import { newId } from '../ids';
import { parseOrThrow } from './validation';

interface PatientRow {
  id: string;
  mrn: string;
  family: string;
  given: string;
  birth_date: string;
  sex: Patient['sex'];
  phone: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, mrn, family, given, birth_date, sex, phone, email, created_at, updated_at';

/** For lists: no contact details (see patientSummarySchema). */
function toSummary(row: PatientRow): PatientSummary {
  const { phone: _phone, email: _email, ...summary } = toPatient(row);
  return summary;
}

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    mrn: row.mrn,
    family: row.family,
    given: row.given,
    birthDate: row.birth_date,
    sex: row.sex,
    phone: row.phone,
    email: row.email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// Letters that do not decompose into base + accent under NFKD.
const FOLDED: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', þ: 'th' };

/** Lower case without diacritics, so "jose" finds "José" and "SØREIDE" finds "Soreide". */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/[øæœßđłþ]/g, (c) => FOLDED[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** LIKE pattern for a literal substring: escapes the wildcards % and _ (and the escape itself). */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const DATE_QUERY = /^\d{4}-\d{2}-\d{2}$/;

/** A phone number's digits, so "+44 20 7946 0018" and "(020) 7946-0018" compare by what is dialled. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * Two numbers are the same phone when their digits are equal, or one ends with the other's national
 * part (a leading 0 trunk prefix or country code aside) and that part has at least 7 digits.
 */
export function samePhone(a: string, b: string): boolean {
  const x = phoneDigits(a).replace(/^0+/, '');
  const y = phoneDigits(b).replace(/^0+/, '');
  if (x.length < 7 || y.length < 7) return false;
  return x === y || x.endsWith(y) || y.endsWith(x);
}

/** Why a registered patient may be the one being registered again. */
export type DuplicateReason = 'name-and-birth-date' | 'phone';

export type PatientRepository = ReturnType<typeof patientRepository>;

export function patientRepository(db: Database, clock: Clock = systemClock) {
  const insert = db.prepare(
    `INSERT INTO patients (${COLUMNS}, search_name)
     VALUES (@id, @mrn, @family, @given, @birth_date, @sex, @phone, @email, @created_at, @updated_at, @search_name)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM patients WHERE id = ?`);
  const byMrn = db.prepare(`SELECT ${COLUMNS} FROM patients WHERE mrn = ?`);
  const byBirthDate = db.prepare(
    `SELECT ${COLUMNS} FROM patients WHERE birth_date = ? ORDER BY search_name LIMIT ?`,
  );
  const byMrnAnyCase = db.prepare(`SELECT ${COLUMNS} FROM patients WHERE mrn = ? COLLATE NOCASE`);
  const byName = db.prepare(
    `SELECT id FROM patients WHERE search_name LIKE ? ESCAPE '\\' ORDER BY search_name LIMIT 500`,
  );
  const withPhone = db.prepare(`SELECT ${COLUMNS} FROM patients WHERE phone IS NOT NULL AND phone != ''`);
  const byText = db.prepare(
    `SELECT ${COLUMNS} FROM patients
     WHERE mrn LIKE @mrn ESCAPE '\\' OR search_name LIKE @name ESCAPE '\\'
     ORDER BY (mrn LIKE @mrn ESCAPE '\\') DESC, search_name
     LIMIT @limit`,
  );
  // Most recently seen first: the latest visit, else when the record last changed.
  const recent = db.prepare(
    `SELECT ${COLUMNS} FROM patients p
     ORDER BY coalesce((SELECT max(e.start) FROM encounters e WHERE e.patient_id = p.id), p.updated_at) DESC
     LIMIT ?`,
  );

  const update = db.prepare(
    `UPDATE patients SET family = @family, given = @given, birth_date = @birth_date, sex = @sex,
            phone = @phone, email = @email, search_name = @search_name, updated_at = @updated_at
      WHERE id = @id AND updated_at = @expected`,
  );
  const insertCorrection = db.prepare(
    `INSERT INTO patient_corrections (id, patient_id, corrected_at, corrected_by, reason, previous)
     VALUES (@id, @patient_id, @corrected_at, @corrected_by, @reason, @previous)`,
  );
  const correctionsOf = db.prepare(
    `SELECT c.id, c.corrected_at, c.corrected_by, u.display_name, c.reason, c.previous
       FROM patient_corrections c LEFT JOIN users u ON u.id = c.corrected_by
      WHERE c.patient_id = ? ORDER BY c.corrected_at DESC, c.id DESC`,
  );

  return {
    registerPatient(input: NewPatient): Patient {
      const patient = parseOrThrow(newPatientSchema, input);
      const now = clock.now().toISOString();
      const row: PatientRow & { search_name: string } = {
        id: newId(clock.now().getTime()),
        mrn: patient.mrn.toUpperCase(),
        family: patient.family,
        given: patient.given,
        birth_date: patient.birthDate,
        sex: patient.sex,
        phone: patient.phone ?? null,
        email: patient.email ?? null,
        created_at: now,
        updated_at: now,
        search_name: normaliseName(`${patient.family} ${patient.given}`),
      };
      return withDbErrors(() => {
        if (byMrn.get(row.mrn))
          throw new AppError('CONFLICT', 'A patient with this medical record number is already registered.', [
            { path: 'mrn', message: 'Already registered: search for the patient instead.' },
          ]);
        insert.run(row);
        return toPatient(row);
      });
    },

    getPatient(id: string): Patient {
      const row = withDbErrors(() => byId.get(id) as PatientRow | undefined);
      if (!row) throw new AppError('NOT_FOUND', 'This patient could not be found.');
      return toPatient(row);
    },

    /** By birth date (YYYY-MM-DD), else by MRN prefix or part of the name, case- and accent-insensitive. */
    findPatients(search: PatientSearch): PatientSummary[] {
      const { query, limit } = parseOrThrow(patientSearchSchema, search);
      const rows = withDbErrors(() =>
        DATE_QUERY.test(query)
          ? byBirthDate.all(query, limit)
          : byText.all({
              mrn: likePrefix(query.toUpperCase()),
              name: likeContains(normaliseName(query)),
              limit,
            }),
      ) as PatientRow[];
      return rows.map(toSummary);
    },

    /**
     * Corrects a patient's details (not the MRN). Refuses when nothing changes, and when the record was
     * corrected since `expectedUpdatedAt` (someone else's correction is never silently overwritten).
     * The replaced values are kept in the same transaction.
     */
    correctPatient(input: PatientCorrection, correctedBy: string): Patient {
      const { patientId, expectedUpdatedAt, changes, reason } = parseOrThrow(patientCorrectionSchema, input);
      return withDbErrors(() =>
        db.transaction(() => {
          const row = byId.get(patientId) as PatientRow | undefined;
          if (!row) throw new AppError('NOT_FOUND', 'This patient could not be found.');
          if (row.updated_at !== expectedUpdatedAt)
            throw new AppError(
              'CONFLICT',
              'Someone else changed this patient’s details while you were editing. Check them and correct again.',
            );
          const current = toPatient(row);
          const next = { ...current };
          const previous: Partial<Record<(typeof correctablePatientFields)[number], unknown>> = {};
          for (const field of correctablePatientFields) {
            const value = changes[field];
            if (value === undefined || value === current[field]) continue;
            previous[field] = current[field];
            Object.assign(next, { [field]: value });
          }
          if (Object.keys(previous).length === 0)
            throw new AppError('BAD_REQUEST', 'Nothing was changed: the details are as they were.');
          const now = clock.now();
          // Strictly later than the last change, so the concurrency check above always sees a correction.
          const at = new Date(Math.max(now.getTime(), Date.parse(row.updated_at) + 1)).toISOString();
          update.run({
            id: patientId,
            expected: expectedUpdatedAt,
            family: next.family,
            given: next.given,
            birth_date: next.birthDate,
            sex: next.sex,
            phone: next.phone,
            email: next.email,
            search_name: normaliseName(`${next.family} ${next.given}`),
            updated_at: at,
          });
          insertCorrection.run({
            id: newId(now.getTime()),
            patient_id: patientId,
            corrected_at: at,
            corrected_by: correctedBy,
            reason,
            previous: JSON.stringify(previous),
          });
          return { ...next, updatedAt: at };
        })(),
      );
    },

    /** Every correction of a patient's details, newest first. */
    patientCorrections(patientId: string): PatientCorrectionRecord[] {
      const rows = withDbErrors(() => correctionsOf.all(patientId)) as {
        id: string;
        corrected_at: string;
        corrected_by: string;
        display_name: string | null;
        reason: string;
        previous: string;
      }[];
      return rows.map((r) =>
        patientCorrectionRecordSchema.parse({
          id: r.id,
          correctedAt: r.corrected_at,
          correctedBy: { id: r.corrected_by, displayName: r.display_name ?? 'Vitals Desk user' },
          reason: r.reason,
          previous: JSON.parse(r.previous) as unknown,
        }),
      );
    },

    /**
     * Patients already registered who may be this one: the same name (as search compares names) and
     * birth date, or the same phone number. Before a registration, so the nurse can open them instead.
     */
    likelyDuplicates(candidate: {
      family: string;
      given: string;
      birthDate: string;
      phone?: string | undefined;
    }): (PatientSummary & { matchedBy: DuplicateReason[] })[] {
      const found = new Map<string, { row: PatientRow; matchedBy: DuplicateReason[] }>();
      const family = normaliseName(candidate.family);
      const given = normaliseName(candidate.given);
      for (const row of withDbErrors(() => byBirthDate.all(candidate.birthDate, 500)) as PatientRow[]) {
        if (normaliseName(row.family) === family && normaliseName(row.given) === given)
          found.set(row.id, { row, matchedBy: ['name-and-birth-date'] });
      }
      const phone = candidate.phone?.trim();
      if (phone && phoneDigits(phone).length >= 7) {
        // Phone numbers are stored as typed: compared by their digits, one registration at a time.
        for (const row of withDbErrors(() => withPhone.all()) as PatientRow[]) {
          if (!row.phone || !samePhone(row.phone, phone)) continue;
          const seen = found.get(row.id);
          if (seen) seen.matchedBy.push('phone');
          else found.set(row.id, { row, matchedBy: ['phone'] });
        }
      }
      return [...found.values()].map(({ row, matchedBy }) => ({ ...toSummary(row), matchedBy }));
    },

    /**
     * The ids of the patients an administrator means by an MRN or a name (the audit trail's filter):
     * the patient with exactly this MRN, else those whose name holds it (as search reads names).
     */
    patientIdsByMrnOrName(text: string): string[] {
      const wanted = text.trim();
      if (!wanted) return [];
      const mrn = withDbErrors(() => byMrnAnyCase.all(wanted)) as PatientRow[];
      if (mrn.length > 0) return mrn.map((r) => r.id);
      const name = normaliseName(wanted);
      if (!name) return [];
      return (withDbErrors(() => byName.all(likeContains(name))) as { id: string }[]).map((r) => r.id);
    },

    recentPatients(limit = 20): PatientSummary[] {
      return (withDbErrors(() => recent.all(limit)) as PatientRow[]).map(toSummary);
    },
  };
}
