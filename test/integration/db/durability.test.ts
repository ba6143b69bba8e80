/**
 * Durability: a child process records observations and prints each acknowledged id; it is killed with
 * SIGKILL at random moments, many rounds. After every round the file must open, hold every
 * acknowledged observation and pass integrity_check.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { patientRepository } from '../../../main/db/repositories/patients';
import { randomKey, tempDir } from './helpers';
import { killWriter } from './kill-writer';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'durability-writer.ts');
const ROUNDS = 30;

/** Runs the writer until `killAfterMs` after it is ready, SIGKILLs it, and returns the ids it acknowledged. */
function runAndKill(file: string, patientId: string, key: Buffer, killAfterMs: number): Promise<string[]> {
  return killWriter(writer, [file, patientId], { VITALS_TEST_DB_KEY: key.toString('hex') }, killAfterMs);
}

describe('durability under SIGKILL', () => {
  // Each round starts a TypeScript child process: on a busy two-core machine 30 rounds can take minutes.
  it(
    `keeps every acknowledged observation over ${ROUNDS} random kills, and the file stays sound`,
    { timeout: 420_000 },
    async () => {
      const file = path.join(tempDir(), 'vitals.db');
      const key = randomKey();
      const setup = openDatabase({ file, key });
      const patient = patientRepository(setup).registerPatient({
        mrn: 'DUR-1',
        family: 'Durable',
        given: 'Dana',
        birthDate: '1960-01-01',
        sex: 'female',
      });
      setup.close();

      const acknowledged: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ids = await runAndKill(file, patient.id, key, 20 + Math.floor(Math.random() * 300));
        acknowledged.push(...ids);
        const db = openDatabase({ file, key });
        const present = new Set(db.prepare('SELECT id FROM observations').pluck().all() as string[]);
        const missing = acknowledged.filter((id) => !present.has(id));
        expect(missing, `round ${round}: acknowledged but missing`).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
      // The kills landed mid-stream, not before the first write.
      expect(acknowledged.length).toBeGreaterThan(ROUNDS);
    },
  );
});
