/**
 * Fail closed: when the audit record of a PHI read cannot be written, the PHI is not returned. The
 * fault is real: a trigger on the core's own connection makes SQLite refuse every audit insert (as a
 * full disk or a damaged table would); the store, recorder, hook and dispatcher are the app's own.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_NOT_RECORDED } from '../../../main/ipc/dispatcher';
import type { AuditVerdict } from '../../../shared/ipc/channels/audit';
import { firstAdmin, signInAs } from '../../support/session';
import { authCore } from '../auth/helpers';
import { valueOf } from '../../support/core';
import { refuseAuditRecords } from '../../support/audit-fault';

const PATIENT = {
  mrn: 'MRN-90210',
  family: 'Vasquez-Thornbury',
  given: 'Imelda',
  birthDate: '1949-11-23',
  sex: 'female',
  phone: '+44 20 7946 0958',
};

describe('PHI is not returned without its audit record', () => {
  it('withholds reads while the audit trail refuses writes, and gives them again once it accepts', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await signInAs(core, 'nurse', 'nurse-window');
    const { id: patientId } = valueOf<{ id: string }>(
      await invoke('nurse-window', 'patients.register', PATIENT),
    );
    valueOf(
      await invoke('nurse-window', 'observations.record', {
        patientId,
        kind: 'heartRate',
        value: 72,
        effectiveAt: core.clock.now().toISOString(),
        method: 'manual',
      }),
    );
    const countAudit = () => Number(core.db!.prepare('SELECT count(*) FROM audit_log').pluck().get());

    // The fault: every audit insert on the app's connection now fails.
    const allowAudit = refuseAuditRecords(core.db!);
    const before = countAudit();
    const reads: [string, unknown][] = [
      ['patients.get', { patientId }],
      ['patients.search', { query: 'Vasquez' }],
      ['patients.recent', {}],
      ['observations.latest', { patientId }],
    ];
    for (const [channel, request] of reads) {
      const result = await invoke('nurse-window', channel, request);
      expect({ channel, result }).toEqual({
        channel,
        result: { ok: false, error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED } },
      });
      const text = JSON.stringify(result);
      for (const value of [PATIENT.family, PATIENT.given, PATIENT.mrn, PATIENT.phone, '72'])
        expect(text).not.toContain(value);
    }
    expect(countAudit()).toBe(before);
    // Calls that carry no PHI go on working.
    expect((await invoke('nurse-window', 'app.health', {})).ok).toBe(true);

    // The trail accepts records again: the same read is answered, and recorded.
    allowAudit();
    const patient = valueOf<{ family: string }>(await invoke('nurse-window', 'patients.get', { patientId }));
    expect(patient.family).toBe(PATIENT.family);
    expect(countAudit()).toBe(before + 1);
    expect(valueOf<AuditVerdict>(await invoke(admin.senderId, 'audit.verify', {}))).toMatchObject({
      ok: true,
    });
  });
});
