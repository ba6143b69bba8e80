/**
 * A change is saved with its audit record or not at all. The fault is real: a trigger on the core's own
 * connection makes SQLite refuse every audit insert (as a full disk or a damaged table would), in the
 * middle of a shift; every change tried meanwhile is refused and leaves nothing behind, and once the
 * trail accepts records again every saved change has its record.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_NOT_RECORDED_CHANGE } from '../../../main/audit/atomic-writes';
import type { AuditVerdict } from '../../../shared/ipc/channels/audit';
import { firstAdmin, signInAs } from '../../support/session';
import { authCore } from '../auth/helpers';
import { valueOf } from '../../support/core';
import { refuseAuditRecords } from '../../support/audit-fault';

const refused = { ok: false, error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED_CHANGE } };

describe('no change is saved without its audit record', () => {
  it('a shift where the trail stops taking records: every change is refused and undone, then all goes on', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await signInAs(core, 'nurse', 'nurse-window');
    const db = core.db!;
    const count = (table: string): number =>
      Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
    const heartRate = (patientId: string, value: number) => ({
      patientId,
      kind: 'heartRate',
      value,
      effectiveAt: core.clock.now().toISOString(),
      method: 'manual',
    });

    const first = valueOf<{ id: string; updatedAt: string }>(
      await invoke('nurse-window', 'patients.register', {
        mrn: 'WF-1',
        family: 'Okonkwo-Leary',
        given: 'Bea',
        birthDate: '1955-06-01',
        sex: 'female',
      }),
    );
    const visit = valueOf<{ id: string }>(
      await invoke('nurse-window', 'encounters.start', { patientId: first.id }),
    );
    const recorded = valueOf<{ id: string }>(
      await invoke('nurse-window', 'observations.record', {
        ...heartRate(first.id, 72),
        encounterId: visit.id,
      }),
    );

    const correction = () => ({
      patientId: first.id,
      expectedUpdatedAt: first.updatedAt,
      reason: 'Spelling',
      changes: { given: 'Beatrice' },
    });

    // The fault: every audit insert on the app's connection now fails.
    const allowAudit = refuseAuditRecords(db);
    const before = {
      audit: count('audit_log'),
      patients: count('patients'),
      observations: count('observations'),
      encounters: count('encounters'),
      outbox: count('sync_outbox'),
    };
    const attempts: [string, unknown][] = [
      ['observations.record', { ...heartRate(first.id, 84), encounterId: visit.id }],
      ['observations.amend', { observationId: recorded.id, value: { value: 74 }, reason: 'Counted again' }],
      ['observations.enterInError', { observationId: recorded.id, reason: 'Wrong patient' }],
      [
        'patients.register',
        { mrn: 'WF-2', family: 'Haldane', given: 'Rui', birthDate: '1960-01-01', sex: 'male' },
      ],
      ['patients.correct', correction()],
      ['encounters.finish', { encounterId: visit.id }],
    ];
    for (const [channel, request] of attempts) {
      const result = await invoke('nurse-window', channel, request);
      expect({ channel, result }).toEqual({ channel, result: refused });
    }
    // Nothing of any of them was kept: no row, no new version, no queued sync entry, no record.
    expect({
      audit: count('audit_log'),
      patients: count('patients'),
      observations: count('observations'),
      encounters: count('encounters'),
      outbox: count('sync_outbox'),
    }).toEqual(before);
    expect(db.prepare("SELECT count(*) FROM patients WHERE mrn = 'WF-2'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT given FROM patients WHERE id = ?').pluck().get(first.id)).toBe('Bea');
    expect(db.prepare('SELECT status FROM encounters WHERE id = ?').pluck().get(visit.id)).toBe(
      'in-progress',
    );

    // The trail takes records again: the same changes are saved, each with its record.
    allowAudit();
    const second = valueOf<{ id: string }>(
      await invoke('nurse-window', 'observations.record', {
        ...heartRate(first.id, 84),
        encounterId: visit.id,
      }),
    );
    valueOf(await invoke('nurse-window', 'patients.correct', correction()));
    expect(count('observations')).toBe(before.observations + 1);
    const observationRecords = db
      .prepare(
        "SELECT resource_id FROM audit_log WHERE action = 'observations.record' AND outcome = 'success'",
      )
      .pluck()
      .all();
    expect(observationRecords).toEqual([recorded.id, second.id]);
    expect(valueOf<AuditVerdict>(await invoke(admin.senderId, 'audit.verify', {}))).toMatchObject({
      ok: true,
    });
  });

  it('a change the handler refuses is still recorded as refused, and nothing of it is saved', async () => {
    const { core, invoke } = await authCore();
    await signInAs(core, 'nurse', 'nurse-window');
    const db = core.db!;
    const before = Number(db.prepare('SELECT count(*) FROM audit_log').pluck().get());
    const result = await invoke('nurse-window', 'observations.record', {
      patientId: '00000000-0000-4000-8000-000000000000',
      kind: 'heartRate',
      value: 70,
      effectiveAt: core.clock.now().toISOString(),
      method: 'manual',
    });
    expect(result.ok).toBe(false);
    expect(Number(db.prepare('SELECT count(*) FROM observations').pluck().get())).toBe(0);
    const last = db.prepare('SELECT action, outcome FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'observations.record', outcome: 'failure' });
    expect(Number(db.prepare('SELECT count(*) FROM audit_log').pluck().get())).toBe(before + 1);
  });
});
