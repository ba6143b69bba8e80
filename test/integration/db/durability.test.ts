/**
 * Durability: a child process records observations and prints each acknowledged id; it is killed with
 * SIGKILL at random moments, many rounds. After every round the file must open, hold every
 * acknowledged observation and pass integrity_check.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { patientRepository } from '../../../main/db/repositories/patients';
import { randomKey, tempDir } from './helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'durability-writer.ts');
const ROUNDS = 30;

/** Runs the writer until `killAfterMs` after it is ready, SIGKILLs it, and returns the ids it acknowledged. */
function runAndKill(file: string, patientId: string, key: Buffer, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, patientId], {
      env: { ...process.env, VITALS_TEST_DB_KEY: key.toString('hex') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!timer && out.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}): ${err}`));
      // Only complete lines are acknowledged ids; a partial last line was cut by the kill.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready'));
    });
  });
}

describe('durability under SIGKILL', () => {
  // Each round starts a TypeScript child process: on a busy two-core machine 30 rounds can pass a minute.
  it(
    `keeps every acknowledged observation over ${ROUNDS} random kills, and the file stays sound`,
    { timeout: 180_000 },
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
