import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  auditHash,
  chainRecord,
  GENESIS_HASH,
  verifyChain,
  type AuditEntry,
  type AuditRecord,
} from '../../../main/audit/chain';
import { headSignatureValid, signHead } from '../../../main/audit/head';

function entry(i: number): AuditEntry {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString(),
    actorUserId: `user-${i % 3}`,
    actorRole: 'nurse',
    workstation: 'Intake desk',
    action: i % 2 ? 'patients.get' : 'auth.signIn',
    resourceType: i % 2 ? 'Patient' : null,
    resourceId: i % 2 ? `p-${i}` : null,
    patientId: i % 2 ? `p-${i}` : null,
    outcome: 'success',
    detail: null,
  };
}

function trail(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) records.push(chainRecord(entry(i), records.at(-1) ?? null));
  return records;
}

describe('audit hash chain', () => {
  it('verifies an intact trail and reports its head', () => {
    const records = trail(6);
    expect(verifyChain(records)).toEqual({ ok: true, count: 6, headHash: records[5]!.hash });
    expect(records[1]!.prevHash).toBe(records[0]!.hash);
  });

  it('detects an edited record', () => {
    const records = trail(6);
    records[2] = { ...records[2]!, patientId: 'p-other' };
    expect(verifyChain(records)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'edited' });
  });

  it('detects an edit that recomputed the record hash (the next link breaks)', () => {
    const records = trail(6);
    const forged = chainRecord({ ...entry(2), actorUserId: 'someone-else' }, records[1]!);
    records[2] = forged;
    expect(verifyChain(records)).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'broken-link' });
  });

  it('detects a deleted record', () => {
    const records = trail(6);
    records.splice(3, 1);
    expect(verifyChain(records)).toMatchObject({ ok: false, firstBadSeq: 5, problem: 'gap' });
  });

  it('detects reordered records, whether or not the sequence numbers were swapped too', () => {
    const swapped = trail(6);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'gap' });
    const renumbered = trail(6);
    const a = renumbered[1]!;
    const b = renumbered[2]!;
    renumbered[1] = { ...b, seq: a.seq };
    renumbered[2] = { ...a, seq: b.seq };
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'edited' });
  });
});

describe('every audit field is hashed', () => {
  // Each field an attacker could rewrite, with the rewrite that matters for it.
  const tampers: [string, (r: AuditRecord) => AuditRecord][] = [
    ['at (backdated an hour)', (r) => ({ ...r, at: new Date(Date.parse(r.at) - 3_600_000).toISOString() })],
    ['actorUserId', (r) => ({ ...r, actorUserId: 'user-other' })],
    ['actorRole (nurse to clinician)', (r) => ({ ...r, actorRole: 'clinician' })],
    ['workstation', (r) => ({ ...r, workstation: 'Ward B' })],
    ['action', (r) => ({ ...r, action: 'patients.search' })],
    ['resourceType', (r) => ({ ...r, resourceType: 'Encounter' })],
    ['resourceId', (r) => ({ ...r, resourceId: 'p-other' })],
    ['patientId', (r) => ({ ...r, patientId: 'p-other' })],
    ['outcome (denied to success)', (r) => ({ ...r, outcome: 'success' })],
    ['detail (refusal code removed)', (r) => ({ ...r, detail: null })],
    ['seq', (r) => ({ ...r, seq: r.seq + 10 })],
    ['prevHash', (r) => ({ ...r, prevHash: 'f'.repeat(64) })],
  ];
  for (const [field, tamper] of tampers)
    it(`detects ${field} rewritten`, () => {
      const records = trail(5);
      // Record 3 is a refused read: the one an attacker would like to turn into an allowed one.
      records[2] = chainRecord({ ...entry(2), outcome: 'denied', detail: 'FORBIDDEN' }, records[1]!);
      for (let i = 3; i < records.length; i++) records[i] = chainRecord(entry(i), records[i - 1]!);
      expect(verifyChain(records)).toMatchObject({ ok: true });
      records[2] = tamper(records[2]!);
      expect(verifyChain(records)).toMatchObject({ ok: false, firstBadSeq: records[2]!.seq });
    });

  it('gives a different hash for each field changed alone', () => {
    const base = chainRecord({ ...entry(1), outcome: 'denied', detail: 'FORBIDDEN' }, null);
    const { hash: _hash, ...rest } = base;
    const hashes = new Set(tampers.map(([, tamper]) => auditHash(tamper({ ...rest, hash: '' }))));
    expect(hashes.size).toBe(tampers.length);
    expect(hashes.has(base.hash)).toBe(false);
  });
});

describe('a trail checked against its anchored head', () => {
  it('accepts a trail that ends exactly at the head, and an empty trail at the genesis head', () => {
    const records = trail(4);
    expect(verifyChain(records, records[3]!)).toMatchObject({ ok: true, count: 4 });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true, count: 0 });
  });

  it('reports removed last records as truncated, from the first one missing', () => {
    const records = trail(6);
    expect(verifyChain(records.slice(0, 4), records[5]!)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      problem: 'truncated',
    });
    expect(verifyChain([], records[5]!)).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'truncated' });
  });

  it('reports a chain recomputed after an edit as not ending at the head', () => {
    const records = trail(6);
    const head = records[5]!;
    const forged: AuditRecord[] = records.slice(0, 2);
    for (let i = 2; i < 6; i++)
      forged.push(chainRecord(i === 2 ? { ...entry(2), outcome: 'denied' } : entry(i), forged[i - 1]!));
    expect(verifyChain(forged)).toMatchObject({ ok: true });
    expect(verifyChain(forged, head)).toMatchObject({ ok: false, firstBadSeq: 6, problem: 'head-mismatch' });
  });

  it('reports records added after the head outside the app', () => {
    const records = trail(6);
    expect(verifyChain(records, records[3]!)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      problem: 'head-mismatch',
    });
  });
});

describe('the signed head', () => {
  it('verifies only under its own key and only for its own seq and hash', () => {
    const key = randomBytes(32);
    const head = signHead(key, 7, 'a'.repeat(64));
    expect(headSignatureValid(key, head)).toBe(true);
    expect(headSignatureValid(randomBytes(32), head)).toBe(false);
    expect(headSignatureValid(key, { ...head, seq: 6 })).toBe(false);
    expect(headSignatureValid(key, { ...head, hash: 'b'.repeat(64) })).toBe(false);
    expect(headSignatureValid(key, { ...head, mac: 'unsigned' })).toBe(false);
    expect(headSignatureValid(key, { ...head, mac: head.mac.slice(0, 32) })).toBe(false);
  });
});
