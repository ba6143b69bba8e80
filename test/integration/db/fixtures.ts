import path from 'node:path';
import { openDatabase, type Database } from '../../../main/db/connection';
import { encounterRepository } from '../../../main/db/repositories/encounters';
import { observationRepository } from '../../../main/db/repositories/observations';
import { patientRepository } from '../../../main/db/repositories/patients';
import { manualClock } from '../../../main/platform/clock';
import { randomKey, tempDir } from './helpers';

/** A fresh encrypted database on disk with the three repositories on a hand-moved clock. */
export function openFixture(start = new Date('2026-03-01T09:00:00Z')) {
  const file = path.join(tempDir(), 'vitals.db');
  const key = randomKey();
  const db: Database = openDatabase({ file, key });
  const clock = manualClock(start);
  return {
    file,
    key,
    db,
    clock,
    patients: patientRepository(db, clock),
    encounters: encounterRepository(db, clock),
    observations: observationRepository(db, clock),
  };
}

export const JANE = {
  mrn: 'MRN-1001',
  family: 'Okonkwo-Søreide',
  given: 'Adaeze',
  birthDate: '1958-04-17',
  sex: 'female',
} as const;
