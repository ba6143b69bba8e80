/**
 * The audit trail's copy on the FHIR server, and the attack it exists for: someone who holds the database
 * key and the audit key cuts the trail short or recomputes it after an edit, re-signs its head, and the
 * local check says "ok" — the comparison with what the server holds does not.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { openDatabase, type Database } from '../../../main/db/connection';
import { createAuditStore, type AuditStore } from '../../../main/audit/audit-store';
import { chainRecord, GENESIS_HASH, type AuditEntry } from '../../../main/audit/chain';
import { signHead } from '../../../main/audit/head';
import { patientRepository } from '../../../main/db/repositories/patients';
import { observationRepository } from '../../../main/db/repositories/observations';
import { createFhirClient } from '../../../main/sync/fhir-client';
import { createOutbox } from '../../../main/sync/outbox';
import { createSyncWorker, type SyncWorker } from '../../../main/sync/worker';
import { compareAuditWithServer, auditEventIdFor } from '../../../main/sync/audit-sync';
import { systemClock } from '../../../main/platform/clock';
import { silentLogger } from '../../../main/logging/logger';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';

const WORKSTATION = 'Ward 3 desk';
let server: FhirTestServer;
let dir: string;
beforeEach(async () => {
  server = await startFhirServer();
  dir = mkdtempSync(path.join(os.tmpdir(), 'vd-audit-sync-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Desk {
  db: Database;
  trail: AuditStore;
  auditKey: Buffer;
  worker: SyncWorker;
  patients: ReturnType<typeof patientRepository>;
  observations: ReturnType<typeof observationRepository>;
  compare(): ReturnType<typeof compareAuditWithServer>;
}

function openDesk(baseUrl = server.baseUrl): Desk {
  const db = openDatabase({ file: path.join(dir, 'vitals.db'), key: randomBytes(32) });
  const auditKey = randomBytes(32);
  const trail = createAuditStore(db, { key: auditKey, mayStart: true });
  const client = createFhirClient({ baseUrl, auth: { kind: 'none' }, timeoutMs: 5_000 });
  const worker = createSyncWorker({
    outbox: createOutbox(db, systemClock),
    client,
    logger: silentLogger,
    backoff: { initialMs: 10, maxMs: 50 },
    auditTrail: () => trail,
  });
  return {
    db,
    trail,
    auditKey,
    worker,
    patients: patientRepository(db),
    observations: observationRepository(db),
    compare: () => compareAuditWithServer({ trail, client, workstation: WORKSTATION }),
  };
}

const entry = (
  action: string,
  patientId: string | null,
  outcome: AuditEntry['outcome'] = 'success',
): AuditEntry => ({
  at: new Date().toISOString(),
  actorUserId: 'nurse-1',
  actorRole: 'nurse',
  workstation: WORKSTATION,
  action,
  resourceType: patientId ? 'Patient' : null,
  resourceId: patientId,
  patientId,
  outcome,
  detail: null,
});

/** A shift's trail: sign-in, two patients opened and recorded, a refused export, sign-out. */
function shift(desk: Desk): void {
  const a = desk.patients.registerPatient({
    mrn: 'AU-1',
    family: 'Quillfeather',
    given: 'Ines',
    birthDate: '1950-02-03',
    sex: 'female',
  });
  const b = desk.patients.registerPatient({
    mrn: 'AU-2',
    family: 'Marrowby',
    given: 'Tobias',
    birthDate: '1948-11-30',
    sex: 'male',
  });
  desk.trail.append(entry('auth.signIn', null));
  for (const p of [a, b]) {
    desk.trail.append(entry('patients.get', p.id));
    const o = desk.observations.recordObservation(
      {
        patientId: p.id,
        kind: 'heartRate',
        value: 71,
        effectiveAt: new Date().toISOString(),
        method: 'manual',
      },
      'nurse-1',
    );
    desk.trail.append({
      ...entry('observations.record', p.id),
      resourceType: 'Observation',
      resourceId: o.id,
    });
  }
  desk.trail.append(entry('audit.export', null, 'denied'));
  desk.trail.append(entry('auth.signOut', null));
}

/** The attacker's tool: with the database key, the triggers that guard the trail are dropped. */
function dropGuards(db: Database): void {
  const triggers = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_head')",
    )
    .pluck()
    .all() as string[];
  for (const name of triggers) db.exec(`DROP TRIGGER "${name}"`);
}

/** ...and with the audit key, the head is signed again where the attacker left the trail. */
function resign(desk: Desk): void {
  const last = desk.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const head = signHead(desk.auditKey, last?.seq ?? 0, last?.hash ?? GENESIS_HASH);
  desk.db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash, mac = @mac WHERE id = 1').run(head);
}

async function serverEvents(): Promise<AuditEvent[]> {
  return server.search<AuditEvent>('AuditEvent', '_count=1000');
}

describe('the audit trail on the FHIR server', () => {
  it('every record goes as an AuditEvent with its chain hashes, the last with the signed head, and no names', async () => {
    const desk = openDesk();
    shift(desk);
    const result = await desk.worker.runOnce();
    expect(result.ok).toBe(true);
    const local = desk.trail.since(0, 100);
    const events = await serverEvents();
    expect(events.map((e) => e.id).sort()).toEqual(local.map((r) => auditEventIdFor(r)).sort());
    const text = JSON.stringify(events);
    for (const word of ['Quillfeather', 'Marrowby', 'Ines', 'Tobias', 'AU-1', '1950-02-03'])
      expect(text).not.toContain(word);
    // Local ids go as identifiers: a server that checks references has nothing to resolve.
    expect(text).not.toMatch(/"reference":"Patient\//);
    const head = desk.trail.head();
    const withHead = events.filter((e) => e.entity?.some((x) => x.detail?.some((d) => d.type === 'headMac')));
    expect(withHead).toHaveLength(1);
    const chain = withHead[0]?.entity?.find((x) => x.description === 'hash chain');
    expect(chain?.detail?.find((d) => d.type === 'seq')?.valueString).toBe(String(head?.seq));
    expect(chain?.detail?.find((d) => d.type === 'headMac')?.valueString).toBe(head?.mac);
    expect(withHead[0]?.type?.code).toBe('110114');
    expect(await desk.compare()).toEqual({ ok: true, serverSeq: local.length, compared: local.length });

    // Later records follow in the next pass; nothing is sent twice.
    desk.trail.append(entry('auth.signIn', null));
    const before = server.requests.transactions;
    await desk.worker.runOnce();
    expect(await serverEvents()).toHaveLength(local.length + 1);
    expect(server.requests.transactions - before).toBe(1);
    desk.db.close();
  });

  it('attack: the last records cut off locally and the head re-signed — local verify says ok, the server copy says truncated', async () => {
    const desk = openDesk();
    shift(desk);
    await desk.worker.runOnce();
    const last = desk.trail.head()?.seq as number;

    dropGuards(desk.db);
    desk.db.prepare('DELETE FROM audit_log WHERE seq > ?').run(last - 2);
    resign(desk);
    expect(desk.trail.verify()).toMatchObject({ ok: true });
    expect(await desk.compare()).toEqual({ ok: false, problem: 'truncated', seq: last - 1 });

    // Writing new records over the gap and sending them does not hide it: they are other events.
    desk.trail.append(entry('auth.signIn', null));
    desk.trail.append(entry('auth.signOut', null));
    await desk.worker.runOnce();
    expect(await desk.compare()).toMatchObject({ ok: false, problem: 'rewritten', seq: last - 1 });
    desk.db.close();
  });

  it('attack: a refused export turned into a success and the chain recomputed — the server copy says rewritten at that record', async () => {
    const desk = openDesk();
    shift(desk);
    await desk.worker.runOnce();
    const all = desk.trail.since(0, 100);
    const refused = all.find((r) => r.outcome === 'denied');
    expect(refused).toBeDefined();

    dropGuards(desk.db);
    // Recompute every record from the edited one on, as a careful attacker would.
    let previous = all.find((r) => r.seq === (refused?.seq as number) - 1) ?? null;
    const update = desk.db.prepare(
      'UPDATE audit_log SET outcome = @outcome, prev_hash = @prevHash, hash = @hash WHERE seq = @seq',
    );
    for (const record of all.filter((r) => r.seq >= (refused?.seq as number))) {
      const { seq: _seq, prevHash: _p, hash: _h, ...fields } = record;
      const rewritten = chainRecord(
        { ...fields, outcome: record === refused ? 'success' : record.outcome },
        previous,
      );
      update.run(rewritten);
      previous = rewritten;
    }
    resign(desk);
    expect(desk.trail.verify()).toMatchObject({ ok: true });
    expect(await desk.compare()).toEqual({ ok: false, problem: 'rewritten', seq: refused?.seq });
    desk.db.close();
  });

  it('a head on the server that this trail never signed is reported as forged', async () => {
    const desk = openDesk();
    shift(desk);
    await desk.worker.runOnce();
    const head = desk.trail.head();
    const [event] = (await serverEvents()).filter(
      (e) => e.id === auditEventIdFor(head as { seq: number; hash: string }),
    );
    const chain = event?.entity?.find((x) => x.description === 'hash chain');
    const mac = chain?.detail?.find((d) => d.type === 'headMac');
    if (mac) mac.valueString = signHead(randomBytes(32), head?.seq as number, head?.hash as string).mac;
    await fetch(`${server.baseUrl}/AuditEvent/${event?.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(event),
    });
    expect(await desk.compare()).toEqual({ ok: false, problem: 'head-forged', seq: head?.seq });
    desk.db.close();
  });

  it('a server error leaves the records to send again; once back, each arrives once', async () => {
    const desk = openDesk();
    shift(desk);
    server.failNext(1, '500');
    expect((await desk.worker.runOnce()).ok).toBe(false);
    expect(await serverEvents()).toHaveLength(0);
    expect((await desk.worker.runOnce()).ok).toBe(true);
    const events = await serverEvents();
    expect(events).toHaveLength(desk.trail.since(0, 100).length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    desk.db.close();
  });
});
