import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditHash, canonicalAuditBytes, chainRecord, GENESIS_HASH } from '../../../main/audit/chain';

// The hashed form is a storage format: trails written by earlier versions must still verify after an
// update, so the bytes and the hash of one record are pinned here (SHA-256 of the canonical JSON).
describe('audit record format', () => {
  it('hashes a fixed, versioned array of every field, the first record linking to 64 zeros', () => {
    const record = chainRecord(
      {
        at: '2026-03-01T09:00:00.000Z',
        actorUserId: 'user-1',
        actorRole: 'nurse',
        workstation: 'Intake desk',
        action: 'patients.get',
        resourceType: 'Patient',
        resourceId: 'p-1',
        patientId: 'p-1',
        outcome: 'denied',
        detail: 'FORBIDDEN',
      },
      null,
    );
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(record.prevHash).toBe('0'.repeat(64));
    const bytes =
      '["vitals-desk-audit-v1",1,"2026-03-01T09:00:00.000Z","user-1","nurse","Intake desk","patients.get",' +
      '"Patient","p-1","p-1","denied","FORBIDDEN","' +
      '0'.repeat(64) +
      '"]';
    expect(canonicalAuditBytes(record)).toBe(bytes);
    expect(record.hash).toBe(createHash('sha256').update(Buffer.from(bytes, 'utf8')).digest('hex'));
    expect(record.hash).toBe('7bdecb2c7579959c9ceade02fce986088aed86501ddfa491b8e3d4ba5e8176a3');
    expect(auditHash(record)).toBe(record.hash);
  });
});
