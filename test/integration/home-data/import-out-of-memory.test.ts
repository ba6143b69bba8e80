/**
 * An import thread that runs out of its memory ends without its own clean-up. Its staging file holds
 * the values it had read (encrypted, but patient data all the same), so the thread that started it
 * removes it. The real import thread, from source, is given a small heap and an export whose loose
 * blood-pressure halves (they wait for the file's end) fill it.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../main/audit/audit-store';
import { openDatabase } from '../../../main/db/connection';
import { patientRepository } from '../../../main/db/repositories/patients';
import { DEFAULT_HOME_IMPORT_MAX_BYTES } from '../../../main/import/pipeline';
import { IMPORT_OUT_OF_MEMORY, startHomeImportWorker } from '../../../main/import/worker-client';
import { stagingFile } from '../../../main/db/repositories/home-observations';
import { tempDir } from '../db/helpers';
import { JANE } from '../db/fixtures';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 10:00:00 +0100"/>\n`;
const minute = (i: number): string =>
  `2025-${String(1 + (Math.floor(i / 40_000) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 1440) % 28)).padStart(2, '0')} ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0100`;
/** A systolic half with no diastolic, and a heart rate (staged as it is read). */
const pair = (i: number): string =>
  ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="${minute(i)}" endDate="${minute(i)}" value="${60 + (i % 40)}"/>\n` +
  ` <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Cuff" unit="mmHg" startDate="${minute(i)}" endDate="${minute(i)}" value="${110 + (i % 50)}"/>\n`;

/**
 * About 40,000 loose halves already fill a 48 MB heap; 100,000 still fit in the usual one: a margin on
 * both sides.
 */
const HALVES = 60_000;
const SMALL_HEAP_MB = 48;

const stagingFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('.home-import-'));

describe('an import thread out of memory', () => {
  it('is refused with the memory message, leaves no staging file, and the next import works', async () => {
    const dir = tempDir('vd-oom-');
    const file = path.join(dir, 'vitals.db');
    const key = randomBytes(32);
    const auditKey = randomBytes(32);
    const db = openDatabase({ file, key });
    try {
      createAuditStore(db, { key: auditKey, mayStart: true });
      const jane = patientRepository(db).registerPatient(JANE);
      const xml = path.join(tempDir('vd-oom-file-'), 'export.xml');
      writeFileSync(
        xml,
        HEAD + Array.from({ length: HALVES }, (_, i) => pair(i)).join('') + '</HealthData>\n',
      );
      const start = (heapMb?: number) =>
        startHomeImportWorker(
          {
            database: { file, key, auditKey },
            job: {
              patientId: jane.id,
              path: xml,
              fileName: 'export.xml',
              maxBytes: DEFAULT_HOME_IMPORT_MAX_BYTES,
            },
          },
          () => undefined,
          undefined,
          heapMb,
        );
      let sawStaging = false;
      const watch = setInterval(() => (sawStaging ||= stagingFiles(dir).length > 0), 5);
      const starved = start(SMALL_HEAP_MB);
      const failure = await starved.preview.then(
        () => undefined,
        (error: unknown) => error,
      );
      // Had it read the file after all, it would wait for the nurse's word: the test would hang.
      if (failure === undefined) await starved.cancel();
      await starved.ended;
      clearInterval(watch);
      expect(failure).toMatchObject({ code: 'VALIDATION', message: IMPORT_OUT_OF_MEMORY });
      // It had staged values in a file before it ran out, and that file is gone.
      expect(sawStaging).toBe(true);
      expect(stagingFiles(dir)).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(0);

      // With its usual heap the same file reads, and its staging file is gone once it is stored.
      const usual = start();
      const preview = await usual.preview;
      expect(preview.status).toBe('done');
      expect(stagingFiles(dir)).toHaveLength(1);
      await usual.commit({
        importedBy: 'nurse-1',
        confirmSubjectMismatch: true,
        now: new Date(),
        audit: { actorUserId: 'nurse-1', actorRole: 'nurse', workstation: 'Desk 1' },
      });
      await usual.ended;
      expect(stagingFiles(dir)).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(HALVES);
    } finally {
      db.close();
    }
  }, 120_000);

  it('names a staging file only beside the database: a name that climbs out of its folder is refused', () => {
    expect(path.dirname(stagingFile('/data/vitals.db', '0123456789abcdef'))).toBe(path.resolve('/data'));
    for (const token of ['../../home/x', '0123456789abcdef/../../x', '', '0123456789ABCDEF0']) {
      expect(() => stagingFile('/data/vitals.db', token)).toThrow(/16 hex digits/);
    }
  });
});
