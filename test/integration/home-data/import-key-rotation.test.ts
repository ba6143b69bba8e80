/**
 * An administrator replaces the database key while a nurse imports home data. The import's worker
 * thread holds its own connection to the file under the key it was given, and rotation renames a new
 * file under every open connection: so rotation is refused while an import is open, and an import is
 * refused while the key is being changed. Both ways the database opens afterwards with the key the key
 * store records, and the import is either wholly there or wholly absent. Real core, real worker thread.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import type { Core } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { openDatabase } from '../../../main/db/connection';
import {
  DATABASE_FILE,
  IMPORT_RUNNING_MESSAGE,
  ROTATION_RUNNING_MESSAGE,
} from '../../../main/db/patient-database';
import type { DbKeyProvider } from '../../../main/db/keys/types';
import { createTestCore, call } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { clarityWindow } from './helpers';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

/** The in-memory key store, whose staging of a new key waits until the test opens the gate. */
function gatedProvider(): {
  provider: DbKeyProvider & { current(): Buffer | undefined };
  open(): void;
  staging: Promise<void>;
} {
  const inner = memoryKeyProvider();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const staging = new Promise<void>((resolve) => (reached = resolve));
  const provider = {
    ...inner,
    async stageRotatedKey(next: Buffer) {
      reached();
      await gate;
      return inner.stageRotatedKey(next);
    },
  };
  return { provider, open, staging };
}

async function desk(provider: DbKeyProvider, dataDir?: string) {
  const { core, dataDir: dir } = await createTestCore({
    dbKeyProvider: provider,
    ...(dataDir ? { dataDir } : {}),
  });
  cores.push(core);
  return { core, dataDir: dir };
}

async function nurseWithPatient(core: Core) {
  await signInAs(core, 'nurse', 'nurse-window');
  let next: string | null = null;
  core.attachFilePicker({ pick: () => Promise.resolve(next) });
  const patient = await call<{ id: string }>(core, 'nurse-window', 'patients.register', {
    mrn: 'MRN-7101',
    family: 'Okafor',
    given: 'Adaeze',
    birthDate: '1958-04-12',
    sex: 'female',
  });
  const choose = async (file: string): Promise<string> => {
    next = file;
    const chosen = await call<{ file: { token: string } }>(core, 'nurse-window', 'homeData.chooseFile', {});
    return chosen.file.token;
  };
  return { patient, choose };
}

const homeRows = (core: Core, patientId: string): number =>
  core
    .db!.prepare('SELECT count(*) FROM home_observations WHERE patient_id = ?')
    .pluck()
    .get(patientId) as number;

/** Opens the file directly with the key the store records now (no staged key to fall back on). */
async function opensWithRecordedKey(
  dataDir: string,
  provider: DbKeyProvider & { current(): Buffer | undefined },
) {
  expect(await provider.loadStagedKey()).toBeUndefined();
  const db = openDatabase({ file: path.join(dataDir, DATABASE_FILE), key: provider.current()! });
  try {
    return db.prepare('SELECT count(*) FROM home_observations').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('key rotation during a home-data import', () => {
  it('refuses rotation while a preview is open; after the import ends it rotates and the import is all there', async () => {
    const provider = memoryKeyProvider();
    const { core, dataDir } = await desk(provider);
    const admin = await signInAs(core, 'admin', 'admin-window');
    const { patient, choose } = await nurseWithPatient(core);
    const file = clarityWindow(tempDir('vd-rot-import-'), 'clarity.csv', 0, 600);
    const jobId = crypto.randomUUID();
    const preview = await call<{ status: string }>(core, 'nurse-window', 'homeData.preview', {
      jobId,
      patientId: patient.id,
      fileToken: await choose(file),
    });
    expect(preview.status).toBe('done');
    const keyBefore = provider.current()!;

    // The worker holds its connection: the administrator is told why, and nothing changes.
    const refused = await core.invoke('database.rotateKey', {}, { senderId: admin.senderId });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: IMPORT_RUNNING_MESSAGE },
    });
    expect(provider.current()!.equals(keyBefore)).toBe(true);

    const imported = await call<{ result: { added: number } }>(core, 'nurse-window', 'homeData.import', {
      jobId,
      patientId: patient.id,
    });
    expect(imported.result.added).toBe(600);

    // Once the worker thread has ended, the same request goes through.
    await vi.waitFor(
      async () => {
        const again = await core.invoke('database.rotateKey', {}, { senderId: admin.senderId });
        expect(again.ok).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(provider.current()!.equals(keyBefore)).toBe(false);
    expect(homeRows(core, patient.id)).toBe(600);
    await core.close();
    expect(await opensWithRecordedKey(dataDir, provider)).toBe(600);
  });

  it('refuses an import while the key is being changed; the rotated file opens with the recorded key and holds none of it', async () => {
    const gated = gatedProvider();
    const { core, dataDir } = await desk(gated.provider);
    const admin = await signInAs(core, 'admin', 'admin-window');
    const { patient, choose } = await nurseWithPatient(core);
    const file = clarityWindow(tempDir('vd-rot-import-'), 'clarity.csv', 0, 300);
    const keyBefore = gated.provider.current()!;

    const rotation = core.invoke('database.rotateKey', {}, { senderId: admin.senderId });
    await gated.staging;
    const during = await core.invoke(
      'homeData.preview',
      { jobId: crypto.randomUUID(), patientId: patient.id, fileToken: await choose(file) },
      { senderId: 'nurse-window' },
    );
    expect(during).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: ROTATION_RUNNING_MESSAGE },
    });

    gated.open();
    expect(await rotation).toMatchObject({ ok: true });
    expect(gated.provider.current()!.equals(keyBefore)).toBe(false);
    expect(homeRows(core, patient.id)).toBe(0);

    // Tried again after the rotation, the import runs under the new key.
    const jobId = crypto.randomUUID();
    await call(core, 'nurse-window', 'homeData.preview', {
      jobId,
      patientId: patient.id,
      fileToken: await choose(file),
    });
    const imported = await call<{ result: { added: number } }>(core, 'nurse-window', 'homeData.import', {
      jobId,
      patientId: patient.id,
    });
    expect(imported.result.added).toBe(300);
    await core.close();
    expect(await opensWithRecordedKey(dataDir, gated.provider)).toBe(300);
  });
});
