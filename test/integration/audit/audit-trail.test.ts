/**
 * The audit trail through the real core and database: PHI reads and writes are recorded with
 * identifiers only, refused calls too; the table refuses UPDATE and DELETE; and when someone with the
 * key tampers with the file from outside the app (dropping the triggers on a raw connection),
 * verification finds the edited, deleted or reordered record.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyKey } from '../../../main/db/connection';
import { memoryKeyProvider } from '../../../main/db/keys';
import { DATABASE_FILE } from '../../../main/db/patient-database';
import type { AuditRecordView, AuditVerdict } from '../../../shared/ipc/channels/audit';
import { firstAdmin, signInAs } from '../../support/session';
import { authCore } from '../auth/helpers';
import { valueOf } from '../../support/core';

/** The value of a successful answer; a refusal fails the test with its sentence. */
const PATIENT = {
  mrn: 'MRN-77123',
  family: 'Abernathy',
  given: 'Philippa',
  birthDate: '1951-07-19',
  sex: 'female',
};

async function setup() {
  const keys = memoryKeyProvider();
  const ctx = await authCore({ dbKeyProvider: keys });
  const admin = await firstAdmin(ctx.core);
  const nurse = await signInAs(ctx.core, 'nurse', 'nurse-window');
  const registered = await ctx.invoke('nurse-window', 'patients.register', PATIENT);
  if (!registered.ok) throw new Error(registered.error.message);
  const patientId = valueOf<{ id: string }>(registered).id;
  await ctx.invoke('nurse-window', 'patients.get', { patientId });
  const raw = () => {
    const db = new BetterSqlite3(path.join(ctx.dir, DATABASE_FILE));
    applyKey(db, keys.current()!);
    // Someone with the key and a SQLite tool: the app's triggers do not stop them.
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    return db;
  };
  const verify = async () => {
    const result = await ctx.invoke(admin.senderId, 'audit.verify');
    if (!result.ok) throw new Error(result.error.message);
    return result.value as AuditVerdict;
  };
  return { ...ctx, admin, nurse, patientId, raw, verify };
}

describe('audit trail', () => {
  it('records PHI reads and writes with who, what and which patient, never the values', async () => {
    const { core, invoke, admin, nurse, patientId } = await setup();
    // An admin asking for a patient is refused, and that is recorded too.
    expect(await invoke(admin.senderId, 'patients.get', { patientId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const listed = await invoke(admin.senderId, 'audit.list', { filter: { patientId } });
    expect(listed.ok).toBe(true);
    const records = valueOf<{ records: AuditRecordView[] }>(listed).records;
    expect(records.map((r) => [r.action, r.actorUserId, r.outcome])).toEqual([
      ['patients.get', admin.userId, 'denied'],
      ['patients.get', nurse.userId, 'success'],
      ['patients.register', nurse.userId, 'success'],
    ]);
    expect(records[1]).toMatchObject({ resourceType: 'Patient', resourceId: patientId, actorRole: 'nurse' });
    const everything = JSON.stringify(core.db!.prepare('SELECT * FROM audit_log').all());
    for (const value of Object.values(PATIENT).filter((v) => v !== 'female'))
      expect(everything).not.toContain(value);
    // Sign-in events are there as well.
    const signIns = await invoke(admin.senderId, 'audit.list', { filter: { action: 'auth.signIn' } });
    expect(valueOf<{ records: AuditRecordView[] }>(signIns).records.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses UPDATE and DELETE on the audit table from the app', async () => {
    const { core } = await setup();
    expect(() => core.db!.prepare("UPDATE audit_log SET outcome = 'failure' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => core.db!.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('verifies an intact chain', async () => {
    const { verify } = await setup();
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('detects an edited record', async () => {
    const { raw, verify } = await setup();
    const db = raw();
    db.prepare("UPDATE audit_log SET patient_id = 'someone-else' WHERE seq = 3").run();
    db.close();
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'edited' });
  });

  it('detects a deleted record', async () => {
    const { raw, verify } = await setup();
    const db = raw();
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    db.close();
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 5, problem: 'gap' });
  });

  it('detects reordered records', async () => {
    const { raw, verify } = await setup();
    const db = raw();
    // Swap the contents of records 2 and 3 while keeping their sequence numbers.
    const cols =
      'at, actor_user_id, actor_role, workstation, action, resource_type, resource_id, patient_id, outcome, detail, prev_hash, hash';
    const two = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 2`).get() as Record<string, unknown>;
    const three = db.prepare(`SELECT ${cols} FROM audit_log WHERE seq = 3`).get() as Record<string, unknown>;
    const set = db.prepare(
      `UPDATE audit_log SET ${cols
        .split(', ')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE seq = @seq`,
    );
    db.transaction(() => {
      set.run({ ...three, seq: 2 });
      set.run({ ...two, seq: 3 });
    })();
    db.close();
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('exports CSV and a FHIR Bundle of AuditEvents, and records the export', async () => {
    const { invoke, admin, patientId } = await setup();
    const csv = await invoke(admin.senderId, 'audit.export', { format: 'csv', filter: { patientId } });
    expect(csv.ok).toBe(true);
    const csvValue = valueOf<{ content: string; count: number; mimeType: string }>(csv);
    const lines = csvValue.content.trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,at,actorUserId,actorRole,workstation,action,resourceType,resourceId,patientId,outcome,detail,prevHash,hash',
    );
    expect(lines).toHaveLength(csvValue.count + 1);
    const fhir = await invoke(admin.senderId, 'audit.export', { format: 'fhir', filter: { patientId } });
    const bundle = JSON.parse(valueOf<{ content: string }>(fhir).content) as {
      resourceType: string;
      entry: {
        resource: { resourceType: string; action: string; entity: { what?: { reference: string } }[] };
      }[];
    };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(['AuditEvent', 'AuditEvent']);
    expect(bundle.entry.map((e) => e.resource.action)).toEqual(['C', 'R']);
    expect(bundle.entry[0]!.resource.entity[0]!.what?.reference).toBe(`Patient/${patientId}`);
    const exports = await invoke(admin.senderId, 'audit.list', { filter: { action: 'audit.export' } });
    expect(valueOf<{ records: AuditRecordView[] }>(exports).records.map((r) => r.detail)).toEqual([
      'fhir:2',
      'csv:2',
    ]);
  });
  it('records setting changes (each with its old and new value) and key rotation', async () => {
    const { invoke, admin, verify } = await setup();
    valueOf(await invoke(admin.senderId, 'settings.update', { idleLockMinutes: 3 }));
    valueOf(await invoke(admin.senderId, 'database.rotateKey', {}));
    const trail = valueOf<{ records: AuditRecordView[] }>(await invoke(admin.senderId, 'audit.list', {}));
    const settings = trail.records.find((r) => r.action === 'settings.update');
    // One record per change, naming the setting with what it was and what it became (settings hold no PHI).
    expect(trail.records.filter((r) => r.action === 'settings.update')).toHaveLength(1);
    expect(settings).toMatchObject({
      actorUserId: admin.userId,
      outcome: 'success',
      detail: 'idleLockMinutes:5->3',
    });
    expect(trail.records.find((r) => r.action === 'database.rotateKey')).toMatchObject({
      actorUserId: admin.userId,
      outcome: 'success',
    });
    // Rotating the key re-encrypted the file; the chain is intact through it.
    expect(await verify()).toMatchObject({ ok: true });
  });
});
