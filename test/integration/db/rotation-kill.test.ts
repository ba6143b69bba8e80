/**
 * Key rotation under SIGKILL: a child process records a reading and rotates the key, over and over,
 * and is killed at a random moment, many rounds on the same files. After every kill the database
 * must open as the app opens it, with the key the keychain records (after recovering an interrupted
 * rotation), pass a full integrity_check and hold every acknowledged reading and every row the file
 * started with. VITALS_ROTATION_KILL_ROUNDS sets the number of rounds (5 by default, for CI).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { wrappedKeyProvider, WRAPPED_KEY_FILE } from '../../../main/db/keys';
import { DATABASE_FILE, openPatientDatabase } from '../../../main/db/patient-database';
import { observationRepository } from '../../../main/db/repositories/observations';
import { patientRepository } from '../../../main/db/repositories/patients';
import { ROTATING_SUFFIX } from '../../../main/db/rotate-key';
import { memoryLogger } from '../../../main/logging/logger';
import { tempDir } from './helpers';
import { killWriter } from './kill-writer';
import { aesKeychain } from '../../support/aes-keychain';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'rotation-writer.ts');
const ROUNDS = Number(process.env.VITALS_ROTATION_KILL_ROUNDS ?? 5);
const SEEDED = 3000;

interface Round {
  acknowledged: string[];
  rotations: number;
}

/**
 * Runs the writer, SIGKILLs it `killAfterMs` after it is ready (or, with `afterARotation`, after its
 * first whole rotation, so that even a slow machine sees rotations complete), and returns what it
 * acknowledged.
 */
async function runAndKill(
  dataDir: string,
  patientId: string,
  master: Buffer,
  killAfterMs: number,
  afterARotation = false,
): Promise<Round> {
  const body = await killWriter(
    writer,
    [dataDir, patientId],
    { VITALS_TEST_KEYCHAIN: master.toString('hex') },
    killAfterMs,
    afterARotation ? (out) => out.includes('\nrotated\n') : undefined,
  );
  return {
    acknowledged: body.filter((l) => l !== 'rotated'),
    rotations: body.filter((l) => l === 'rotated').length,
  };
}

/** Where in a rotation the kill landed, read from the files it left. */
async function stateLeft(dataDir: string, recordedKey: () => Promise<Buffer>): Promise<string> {
  const file = path.join(dataDir, DATABASE_FILE);
  if (existsSync(`${file}${ROTATING_SUFFIX}`)) return 'writing the copy';
  if (!existsSync(path.join(dataDir, `${WRAPPED_KEY_FILE}.next`))) return 'outside a rotation';
  try {
    openDatabase({ file, key: await recordedKey(), integrityCheck: 'none' }).close();
    return 'key staged, file not yet renamed';
  } catch {
    return 'file renamed, key not yet recorded';
  }
}

describe('key rotation under SIGKILL', () => {
  it(
    `opens with its recorded key, sound and complete, after ${ROUNDS} kills at random points of a rotation`,
    async () => {
      const dataDir = tempDir();
      const master = randomBytes(32);
      const provider = () => wrappedKeyProvider({ dir: dataDir, ...aesKeychain(master) });
      const setup = await openPatientDatabase({ dataDir, keyProvider: provider(), logger: memoryLogger() });
      const patient = patientRepository(setup.db).registerPatient({
        mrn: 'ROT-1',
        family: 'Rotated',
        given: 'Rory',
        birthDate: '1955-05-05',
        sex: 'male',
      });
      // Enough rows that the copy takes a while, so kills land inside it too.
      const observations = observationRepository(setup.db);
      setup.db.transaction(() => {
        for (let i = 0; i < SEEDED; i++)
          observations.recordObservation(
            {
              patientId: patient.id,
              kind: 'heartRate',
              value: 60 + (i % 40),
              effectiveAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
              method: 'manual',
            },
            'seed',
          );
      })();
      setup.close();

      const acknowledged: string[] = [];
      const landed: Record<string, number> = {};
      let rotations = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const result = await runAndKill(
          dataDir,
          patient.id,
          master,
          Math.floor(Math.random() * 700),
          round === 0,
        );
        acknowledged.push(...result.acknowledged);
        rotations += result.rotations;
        const state = await stateLeft(dataDir, () => provider().loadOrCreateKey());
        landed[state] = (landed[state] ?? 0) + 1;

        // As the app starts: recovers an interrupted rotation, then must hold everything.
        const opened = await openPatientDatabase({
          dataDir,
          keyProvider: provider(),
          logger: memoryLogger(),
        });
        expect(opened.db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        const present = new Set(opened.db.prepare('SELECT id FROM observations').pluck().all() as string[]);
        expect(
          acknowledged.filter((id) => !present.has(id)),
          `round ${round}: acknowledged but missing`,
        ).toEqual([]);
        expect(present.size).toBeGreaterThanOrEqual(SEEDED + acknowledged.length);
        opened.close();

        // And the key the keychain records opens the file by itself, with nothing left staged.
        const recorded = await provider().loadOrCreateKey();
        expect(await provider().loadStagedKey(), `round ${round}: staged key left`).toBeUndefined();
        const direct = openDatabase({ file: path.join(dataDir, DATABASE_FILE), key: recorded });
        expect(direct.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(present.size);
        direct.close();
      }
      console.log(
        `rotation kill test: ${ROUNDS} kills, ${rotations} rotations completed, kills landed: ${JSON.stringify(landed)}`,
      );
      // The writer got through whole rotations between kills: the kills were not all before the first.
      expect(rotations).toBeGreaterThan(0);
    },
    30_000 + ROUNDS * 15_000,
  );
});
