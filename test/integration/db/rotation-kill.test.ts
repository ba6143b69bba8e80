/**
 * Key rotation under SIGKILL: a child process records a reading and rotates the key (with the rotation's
 * audit record, as the app writes it), over and over, and is killed at a random moment, many rounds on
 * the same files; one round is killed the moment the audit record is in the re-encrypted copy. After
 * every kill the database must open as the app opens it, with the key the keychain records (after
 * recovering an interrupted rotation), pass a full integrity_check, hold every acknowledged reading and
 * every row the file started with, and hold an intact audit trail with one rotation record for each
 * rotation in force and none for a rotation the kill stopped before its rename.
 * VITALS_ROTATION_KILL_ROUNDS sets the number of rounds (5 by default, for CI; at least 2 for the
 * round killed at the record).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../main/audit/audit-store';
import { openDatabase, type Database } from '../../../main/db/connection';
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
  atTheRecord = false,
): Promise<Round> {
  const body = await killWriter(
    writer,
    [dataDir, patientId],
    { VITALS_TEST_KEYCHAIN: master.toString('hex'), ...(atTheRecord ? { VITALS_KILL_AT_RECORD: '1' } : {}) },
    killAfterMs,
    afterARotation ? (out) => out.includes('\nrotated\n') : undefined,
  );
  return {
    acknowledged: body.filter((l) => l !== 'rotated'),
    rotations: body.filter((l) => l === 'rotated').length,
  };
}

/** The rotation records in the trail of a file. */
const rotationRecords = (db: Database) =>
  Number(
    db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'database.rotateKey' AND outcome = 'success'")
      .pluck()
      .get(),
  );

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
      // The trail's head is signed as the app's first start signs it.
      createAuditStore(setup.db, setup.auditHead);
      setup.close();

      const acknowledged: string[] = [];
      const landed: Record<string, number> = {};
      let rotations = 0;
      let recordsBefore = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Round 1 kills itself at its first rotation's record; the timer is only a backstop there.
        const atTheRecord = round === 1;
        const keyBefore = await provider().loadOrCreateKey();
        const result = await runAndKill(
          dataDir,
          patient.id,
          master,
          atTheRecord ? 20_000 : Math.floor(Math.random() * 700),
          round === 0,
          atTheRecord,
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

        // The trail is intact, and holds one record per rotation in force: each whole one, and the
        // interrupted one exactly when its file was put in force.
        expect(createAuditStore(opened.db, opened.auditHead).verify(), `round ${round}: trail`).toMatchObject(
          {
            ok: true,
          },
        );
        const gained = rotationRecords(opened.db) - recordsBefore;
        if (state === 'file renamed, key not yet recorded') expect(gained).toBe(result.rotations + 1);
        else if (state === 'outside a rotation')
          // Killed between rotations, or after one was recorded but before it was acknowledged.
          expect([result.rotations, result.rotations + 1]).toContain(gained);
        else expect(gained, `round ${round}: a record for a rotation not in force`).toBe(result.rotations);
        recordsBefore += gained;
        if (atTheRecord) {
          // Killed with the record in the copy only: no rotation, no record, the old key.
          expect(state).toBe('writing the copy');
          expect(gained).toBe(0);
          expect((await provider().loadOrCreateKey()).equals(keyBefore)).toBe(true);
        }
        opened.close();

        // And the key the keychain records opens the file by itself, with nothing left staged.
        const recorded = await provider().loadOrCreateKey();
        expect(await provider().loadStagedKey(), `round ${round}: staged key left`).toBeUndefined();
        const direct = openDatabase({ file: path.join(dataDir, DATABASE_FILE), key: recorded });
        expect(direct.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(present.size);
        direct.close();
      }
      console.log(
        `rotation kill test: ${ROUNDS} kills, ${rotations} rotations completed, ${recordsBefore} rotation records, kills landed: ${JSON.stringify(landed)}`,
      );
      // The writer got through whole rotations between kills: the kills were not all before the first.
      expect(rotations).toBeGreaterThan(0);
    },
    30_000 + ROUNDS * 15_000,
  );
});
