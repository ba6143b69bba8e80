import { describe, expect, it } from 'vitest';
import { chainRecord, verifyChain, type AuditEntry, type AuditRecord } from '../../../main/audit/chain';

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
