/** Patients: registration and search. Names are searched through a normalised column, never logged. */
import { AppError } from '../../../shared/ipc';
import {
  newPatientSchema,
  patientSearchSchema,
  type NewPatient,
  type Patient,
  type PatientSearch,
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
    findPatients(search: PatientSearch): Patient[] {
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
      return rows.map(toPatient);
    },

    recentPatients(limit = 20): Patient[] {
      return (withDbErrors(() => recent.all(limit)) as PatientRow[]).map(toPatient);
    },
  };
}
