/**
 * The home-data import's worker thread in a packaged app. There, main.js lives inside `app.asar`, which
 * a worker thread's module loader cannot read, so electron-builder.yml unpacks the worker and what it
 * imports to `app.asar.unpacked`, and worker-client.ts starts it from there. No installer can be built
 * on this machine, so the test lays out what electron-builder would: the archive is an opaque file, and
 * beside it only the built files (dist/, from `npm run build`) and packages that the asarUnpack globs
 * select. The worker is then started from that layout and imports a file into a real database: a
 * package it needs but that is not unpacked makes it fail.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../main/audit/audit-store';
import { openDatabase } from '../../main/db/connection';
import { patientRepository } from '../../main/db/repositories/patients';
import {
  homeImportWorkerScript,
  startHomeImportWorker,
  unpackedFromAsar,
} from '../../main/import/worker-client';
import { DEFAULT_HOME_IMPORT_MAX_BYTES } from '../../main/import/pipeline';
import { clarityWindow } from '../integration/home-data/helpers';

const root = path.resolve(import.meta.dirname, '../..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A file electron-builder would ship (not excluded by `files`) and leave unpacked (asarUnpack). */
const excluded = (rel: string): boolean =>
  config.files.some((p) => p.startsWith('!') && minimatch(rel, p.slice(1), { dot: true }));
const unpacked = (rel: string): boolean =>
  !excluded(rel) && config.asarUnpack.some((p) => minimatch(rel, p, { dot: true }));

/** Copies every file under `from` (relative to the repo) that the archive would leave unpacked. */
function unpackInto(target: string, from: string): number {
  let copied = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (unpacked(rel)) {
        mkdirSync(path.join(target, dir), { recursive: true });
        copyFileSync(path.join(root, rel), path.join(target, rel));
        copied += 1;
      }
    }
  };
  walk(from);
  return copied;
}

describe('the import worker in a packaged app (asar)', () => {
  it('maps a path inside app.asar to its unpacked copy, and leaves others alone', () => {
    expect(unpackedFromAsar('/opt/Vitals Desk/resources/app.asar/dist/main/home-import-worker.js')).toBe(
      '/opt/Vitals Desk/resources/app.asar.unpacked/dist/main/home-import-worker.js',
    );
    expect(unpackedFromAsar('C:\\Program Files\\Vitals Desk\\resources\\app.asar\\dist\\main\\x.js')).toBe(
      'C:\\Program Files\\Vitals Desk\\resources\\app.asar.unpacked\\dist\\main\\x.js',
    );
    // A folder that merely starts with the name, or a development checkout, is not an archive.
    expect(unpackedFromAsar('/home/n/app.asarx/dist/main/x.js')).toBe('/home/n/app.asarx/dist/main/x.js');
    expect(unpackedFromAsar('/home/n/vitals-desk/dist/main/x.js')).toBe('/home/n/vitals-desk/dist/main/x.js');
  });

  it('starts the built worker from app.asar.unpacked and imports a file with only the unpacked files there', async () => {
    expect(existsSync(path.join(root, 'dist/main/home-import-worker.js'))).toBe(true);
    const resources = mkdtempSync(path.join(os.tmpdir(), 'vd-packaged-'));
    dirs.push(resources);
    // The archive: main.js and everything else packed is in here, unreadable to a worker's loader.
    writeFileSync(path.join(resources, 'app.asar'), randomBytes(4096));
    const target = path.join(resources, 'app.asar.unpacked');
    mkdirSync(target);
    if (unpacked('package.json'))
      copyFileSync(path.join(root, 'package.json'), path.join(target, 'package.json'));
    expect(unpackInto(target, 'dist')).toBeGreaterThan(0);
    // The packages the globs name (walking every package for its .node files takes long, and a native
    // binary of another package is no concern of the worker's).
    const packages = new Set(
      config.asarUnpack
        .map((p) => /^node_modules\/((?:@[^/]+\/)?[^/*]+)\//.exec(p)?.[1])
        .filter((p): p is string => p !== undefined),
    );
    for (const name of packages) expect(unpackInto(target, `node_modules/${name}`)).toBeGreaterThan(0);
    // Main itself stays packed: only the worker's part of the build is outside the archive.
    expect(existsSync(path.join(target, 'dist/main/main.js'))).toBe(false);

    // The built module that resolves the worker (main.js, or a chunk it shares with the worker), at its
    // place inside the archive as the packaged app sees it.
    const resolver = [
      'dist/main/main.js',
      ...readdirSync(path.join(root, 'dist/main/assets')).map((f) => `dist/main/assets/${f}`),
    ]
      .filter((f) => f.endsWith('.js'))
      .find((f) => readFileSync(path.join(root, f), 'utf8').includes('"home-import-worker.js"'));
    expect(resolver).toBeDefined();
    for (const here of [resolver!, 'dist/main/main.js', 'dist/main/assets/chunk.js']) {
      const found = homeImportWorkerScript(path.join(resources, 'app.asar', ...here.split('/')));
      expect(fileURLToPath(found.script)).toBe(path.join(target, 'dist', 'main', 'home-import-worker.js'));
    }
    const script = homeImportWorkerScript(path.join(resources, 'app.asar', ...resolver!.split('/')));
    expect(script.entry).toBeUndefined();
    expect(fileURLToPath(script.script)).toBe(path.join(target, 'dist', 'main', 'home-import-worker.js'));

    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-packaged-data-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'vitals.db');
    const key = randomBytes(32);
    const auditKey = randomBytes(32);
    const db = openDatabase({ file, key });
    // The trail's head signed under its key, as the app leaves it: the worker writes the import's record.
    createAuditStore(db, { key: auditKey, mayStart: true });
    const patient = patientRepository(db).registerPatient({
      mrn: 'PKG-1',
      family: 'Santos',
      given: 'Luís',
      birthDate: '1966-02-19',
      sex: 'male',
    });
    const csv = clarityWindow(dataDir, 'clarity.csv', 0, 288);
    const job = startHomeImportWorker(
      {
        database: { file, key, auditKey },
        job: {
          patientId: patient.id,
          path: csv,
          fileName: 'clarity.csv',
          maxBytes: DEFAULT_HOME_IMPORT_MAX_BYTES,
        },
      },
      () => undefined,
      script,
    );
    const preview = await job.preview;
    expect(preview).toMatchObject({ status: 'done', value: { format: 'dexcom-clarity', newRecords: 288 } });
    const stored = await job.commit({
      importedBy: 'nurse-1',
      confirmSubjectMismatch: false,
      now: new Date(),
      audit: { actorUserId: 'nurse-1', actorRole: 'nurse', workstation: 'Desk 1' },
    });
    expect(stored).toMatchObject({ status: 'done', value: { added: 288 } });
    await job.ended;
    expect(db.prepare('SELECT count(*) FROM home_observations').pluck().get()).toBe(288);
    expect(
      db.prepare("SELECT detail FROM audit_log WHERE action = 'homeData.imported'").pluck().all(),
    ).toEqual(['format:dexcom-clarity;read:288;added:288']);
    db.close();
  });
});
