/**
 * The audit trail's anchored head, attacked through the real core and file. The attacker has the
 * database key and a SQLite tool (a raw connection with the app's triggers dropped) but not the audit
 * key the keychain holds: removing the last records, recomputing the chain after an edit, dropping
 * and recreating the table, forging or resetting the head must each make verify fail; an intact
 * trail verifies across restarts and key rotation, and the FHIR export carries the signed head.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordFromRow } from '../../../main/audit/audit-store';
import { chainRecord, type AuditRecord } from '../../../main/audit/chain';
import { AUDIT_HEAD_FORMAT } from '../../../main/audit/export';
import { headSignatureValid, signHead } from '../../../main/audit/head';
import { createCore, type Core } from '../../../main/core';
import { applyKey, openDatabase } from '../../../main/db/connection';
import { memoryKeyProvider } from '../../../main/db/keys';
import { migrations } from '../../../main/db/migrations';
import { DATABASE_FILE } from '../../../main/db/patient-database';
import { memoryLogger } from '../../../main/logging/logger';
import { manualClock } from '../../../main/platform/clock';
import type { AuditVerdict } from '../../../shared/ipc/channels/audit';
import { currentTotp } from '../../../main/auth/totp';
import { call, TEST_PASSWORD_HASHING, valueOf } from '../../support/core';
import { firstAdmin, signInAs, type TestAccount } from '../../support/session';

const cores: Core[] = [];
/** After a restart: later, so the authenticator code is a new one. */
const LATER = new Date('2026-03-02T09:00:05Z');
const dirs: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Keys = ReturnType<typeof memoryKeyProvider>;

async function startCore(dir: string, keys: Keys, at = new Date('2026-03-02T08:00:05Z')) {
  const core = await createCore({
    dataDir: dir,
    appVersion: '0.0.0-test',
    host: 'chromium',
    heartbeatMs: 0,
    idleSweepMs: 0,
    passwordHashing: TEST_PASSWORD_HASHING,
    dbKeyProvider: keys,
    clock: manualClock(at),
    logger: memoryLogger(),
  });
  cores.push(core);
  return core;
}

/** Signs an existing account in on a restarted core, with a code computed like a phone would. */
async function signInAgain(core: Core, account: TestAccount, senderId: string): Promise<string> {
  const totp = account.totpSecret ? await currentTotp(account.totpSecret, core.clock) : undefined;
  await call(core, senderId, 'auth.signIn', {
    username: account.username,
    password: account.password,
    ...(totp ? { totp } : {}),
  });
  return senderId;
}

/** A morning's trail: an admin, a nurse, two patients registered and read, one refused read. */
async function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-audit-head-'));
  dirs.push(dir);
  const keys = memoryKeyProvider();
  const core = await startCore(dir, keys);
  const admin = await firstAdmin(core);
  const nurse = await signInAs(core, 'nurse', 'nurse-window');
  const invoke = (senderId: string, channel: string, request: unknown = {}) =>
    core.invoke(channel, request, { senderId });
  for (const [mrn, family] of [
    ['MRN-501', 'Achterberg'],
    ['MRN-502', 'Boateng'],
  ] as const) {
    const { id } = valueOf<{ id: string }>(
      await invoke('nurse-window', 'patients.register', {
        mrn,
        family,
        given: 'Sam',
        birthDate: '1960-02-02',
        sex: 'other',
      }),
    );
    valueOf(await invoke('nurse-window', 'patients.get', { patientId: id }));
    await invoke(admin.senderId, 'patients.get', { patientId: id });
  }
  const verify = async (on: Core = core, senderId = admin.senderId) =>
    valueOf<AuditVerdict>(await on.invoke('audit.verify', {}, { senderId }));
  /** Someone with the database key and a SQLite tool; the app's triggers do not stop them. */
  const raw = () => {
    const db = new BetterSqlite3(path.join(dir, DATABASE_FILE));
    applyKey(db, keys.current()!);
    db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
      DROP TRIGGER IF EXISTS audit_log_no_replace; DROP TRIGGER IF EXISTS audit_head_no_delete;`);
    return db;
  };
  return { dir, keys, core, admin, nurse, invoke, verify, raw };
}

function trailOf(db: BetterSqlite3.Database): AuditRecord[] {
  return (
    db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Parameters<typeof recordFromRow>[0][]
  ).map(recordFromRow);
}

/** Writes `records` back as the whole trail, hashes recomputed from the first one on. */
function rewriteTrail(db: BetterSqlite3.Database, records: AuditRecord[]): AuditRecord[] {
  const chained: AuditRecord[] = [];
  for (const r of records) {
    const { seq: _seq, prevHash: _p, hash: _h, ...entry } = r;
    chained.push(chainRecord(entry, chained.at(-1) ?? null));
  }
  db.transaction(() => {
    db.prepare('DELETE FROM audit_log').run();
    const insert = db.prepare(`INSERT INTO audit_log (seq, at, actor_user_id, actor_role, workstation, action,
      resource_type, resource_id, patient_id, outcome, detail, prev_hash, hash) VALUES (@seq, @at, @actorUserId,
      @actorRole, @workstation, @action, @resourceType, @resourceId, @patientId, @outcome, @detail, @prevHash, @hash)`);
    for (const r of chained) insert.run(r);
  })();
  return chained;
}

describe('anchored audit head', () => {
  it('verifies an intact trail, across a restart and a key rotation, and keeps verifying as it grows', async () => {
    const s = await setup();
    expect(await s.verify()).toMatchObject({ ok: true });
    valueOf(await s.invoke(s.admin.senderId, 'database.rotateKey', {}));
    expect(await s.verify()).toMatchObject({ ok: true });
    await s.core.close();
    const again = await startCore(s.dir, s.keys, LATER);
    const admin = await signInAgain(again, s.admin, 'admin-after-restart');
    expect(await s.verify(again, admin)).toMatchObject({ ok: true });
  });

  it('fails when the last records are deleted', async () => {
    const s = await setup();
    const db = s.raw();
    const last = Number(db.prepare('SELECT max(seq) FROM audit_log').pluck().get());
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 2);
    db.close();
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'truncated', firstBadSeq: last - 1 });
  });

  it('fails when a refusal is rewritten as a success and the chain recomputed after it', async () => {
    const s = await setup();
    const db = s.raw();
    const records = trailOf(db);
    const denied = records.findIndex((r) => r.outcome === 'denied');
    expect(denied).toBeGreaterThan(0);
    records[denied] = { ...records[denied]!, outcome: 'success', detail: null };
    rewriteTrail(db, records);
    db.close();
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'head-mismatch' });
  });

  it('fails when the recomputed chain comes with a head signed by any other key', async () => {
    const s = await setup();
    const db = s.raw();
    const records = trailOf(db);
    records[2] = { ...records[2]!, at: '2026-01-01T00:00:00.000Z' }; // backdated
    const chained = rewriteTrail(db, records);
    const end = chained.at(-1)!;
    db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash, mac = @mac').run(
      signHead(randomBytes(32), end.seq, end.hash),
    );
    db.close();
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'head-invalid' });
  });

  it('fails when the table is dropped and recreated, empty or refilled', async () => {
    const s = await setup();
    const db = s.raw();
    const records = trailOf(db);
    const table = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log'")
      .pluck()
      .get() as string;
    db.exec(`DROP TABLE audit_log; ${table}`);
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'truncated', firstBadSeq: 1 });
    // Refilled with a trail minus the refused reads, chained afresh.
    rewriteTrail(
      db,
      records.filter((r) => r.outcome !== 'denied'),
    );
    db.close();
    expect(await s.verify()).toMatchObject({ ok: false });
  });

  it('fails when the head is deleted or reset to unsigned, and a restart does not sign over it', async () => {
    const s = await setup();
    const db = s.raw();
    db.prepare('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)').run();
    db.prepare("UPDATE audit_head SET seq = 0, hash = '', mac = 'unsigned'").run();
    db.close();
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'head-invalid' });
    // New records keep being kept, but the app never signs a head over a trail it cannot vouch for.
    await s.invoke('nurse-window', 'patients.search', { query: 'Boa' });
    expect(await s.verify()).toMatchObject({ ok: false, problem: 'head-invalid' });
    await s.core.close();
    const again = await startCore(s.dir, s.keys, LATER);
    const admin = await signInAgain(again, s.admin, 'admin-after-restart');
    expect(await s.verify(again, admin)).toMatchObject({ ok: false, problem: 'head-invalid' });

    const raw = s.raw();
    raw.prepare('DELETE FROM audit_head').run();
    raw.close();
    expect(await s.verify(again, admin)).toMatchObject({ ok: false, problem: 'head-invalid' });
  });

  it('exports the signed head with the FHIR AuditEvents', async () => {
    const s = await setup();
    const exported = valueOf<{ content: string }>(
      await s.invoke(s.admin.senderId, 'audit.export', { format: 'fhir', filter: {} }),
    );
    const bundle = JSON.parse(exported.content) as {
      entry: { resource: { id: string } }[];
      signature: { sigFormat: string; data: string };
    };
    expect(bundle.signature.sigFormat).toBe(AUDIT_HEAD_FORMAT);
    const head = JSON.parse(Buffer.from(bundle.signature.data, 'base64').toString('utf8')) as {
      seq: number;
      hash: string;
      mac: string;
    };
    // The head is the last record exported, signed with the audit key the keychain holds.
    expect(bundle.entry.at(-1)!.resource.id).toBe(`vitals-desk-audit-${head.seq}`);
    const { key } = await s.keys.loadOrCreateAuditKey();
    expect(headSignatureValid(key, head)).toBe(true);
    expect(headSignatureValid(randomBytes(32), head)).toBe(false);
  });

  it('anchors a trail written before the head existed at the first start of this version', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-audit-head-'));
    dirs.push(dir);
    const keys = memoryKeyProvider();
    const file = path.join(dir, DATABASE_FILE);
    // A file from the version before: the trail exists, the head table does not.
    const older = openDatabase({
      file,
      key: await keys.loadOrCreateKey(),
      migrations: migrations.filter((m) => m.version !== 24),
    });
    const previous = chainRecord(
      {
        at: '2026-03-01T08:00:00.000Z',
        actorUserId: null,
        actorRole: null,
        workstation: 'Intake desk',
        action: 'auth.signIn',
        resourceType: null,
        resourceId: null,
        patientId: null,
        outcome: 'failure',
        detail: 'wrong-password',
      },
      null,
    );
    older
      .prepare(
        `INSERT INTO audit_log (seq, at, actor_user_id, actor_role, workstation, action, resource_type,
        resource_id, patient_id, outcome, detail, prev_hash, hash) VALUES (@seq, @at, @actorUserId, @actorRole,
        @workstation, @action, @resourceType, @resourceId, @patientId, @outcome, @detail, @prevHash, @hash)`,
      )
      .run(previous);
    older.close();
    const core = await startCore(dir, keys);
    const admin = await firstAdmin(core);
    expect(
      valueOf<AuditVerdict>(await core.invoke('audit.verify', {}, { senderId: admin.senderId })),
    ).toMatchObject({ ok: true });
  });
});
