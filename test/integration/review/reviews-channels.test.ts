/**
 * The review channels end to end through core.invoke: real sign-in and roles, a real encrypted
 * database file, the append-only sign-off table, and the audit trail written by the dispatcher hook.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { memoryKeyProvider, type DbKeyProvider } from '../../../main/db/keys';
import type { IpcResult } from '../../../shared/ipc';
import type { Review, VisitInProgress } from '../../../shared/ipc/channels/reviews';
import type { AuditRecordView } from '../../../shared/ipc/channels/audit';
import type { Encounter, Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { firstAdmin, signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';

async function startCore(
  dataDir = tempDir('vd-review-'),
  dbKeyProvider: DbKeyProvider = memoryKeyProvider(),
): Promise<Core> {
  return (await createTestCore({ dataDir, dbKeyProvider })).core;
}

function refusal(result: IpcResult<unknown>): { code: string; message: string } {
  if (result.ok) throw new Error('expected a refusal, got ok');
  return result.error;
}

async function patientWithVisit(core: Core, nurseSender: string, mrn: string) {
  const patient = await call<Patient>(core, nurseSender, 'patients.register', {
    mrn,
    family: 'Okafor',
    given: 'Ada',
    birthDate: '1961-04-12',
    sex: 'female',
  });
  const visit = await call<Encounter>(core, nurseSender, 'encounters.start', { patientId: patient.id });
  return { patient, visit };
}

describe('review channels', () => {
  it('lets a clinician sign off a visit, append-only, with who and when, and lists the sign-offs', async () => {
    const core = await startCore();
    try {
      const nurse = await signInAs(core, 'nurse');
      const clinician = await signInAs(core, 'clinician');
      const { patient, visit } = await patientWithVisit(core, nurse.senderId, 'R-100');

      expect(
        await call<Review[]>(core, clinician.senderId, 'reviews.list', { encounterId: visit.id }),
      ).toEqual([]);
      const first = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
        encounterId: visit.id,
        comment: '  BP trending up; recheck in two weeks.  ',
      });
      expect(first).toMatchObject({
        encounterId: visit.id,
        patientId: patient.id,
        signedBy: clinician.userId,
        signedByName: expect.stringContaining('Test clinician'),
        signedByRole: 'clinician',
        comment: 'BP trending up; recheck in two weeks.',
      });
      expect(Date.parse(first.signedAt)).not.toBeNaN();
      // A blank comment is no comment.
      const second = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
        encounterId: visit.id,
        comment: '   ',
      });
      expect(second.comment).toBeNull();
      const third = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
        encounterId: visit.id,
      });
      expect(third.comment).toBeNull();

      const listed = await call<Review[]>(core, clinician.senderId, 'reviews.list', {
        encounterId: visit.id,
      });
      expect(listed.map((r) => r.id)).toEqual([first.id, second.id, third.id]);
      expect(listed[0]).toEqual(first);

      // The database itself refuses to rewrite or remove a sign-off.
      expect(() =>
        core.db!.prepare('UPDATE reviews SET comment = ? WHERE id = ?').run('edited', first.id),
      ).toThrow(/append-only/);
      expect(() => core.db!.prepare('DELETE FROM reviews WHERE id = ?').run(first.id)).toThrow(/append-only/);
    } finally {
      await core.close();
    }
  });

  it('refuses a nurse, an admin and a signed-out window, and saves nothing for them', async () => {
    const core = await startCore();
    try {
      const nurse = await signInAs(core, 'nurse');
      const admin = await firstAdmin(core);
      const clinician = await signInAs(core, 'clinician');
      const { visit } = await patientWithVisit(core, nurse.senderId, 'R-200');

      for (const sender of [nurse.senderId, admin.senderId]) {
        const denied = refusal(
          await core.invoke(
            'reviews.signOff',
            { encounterId: visit.id, comment: 'ok' },
            { senderId: sender },
          ),
        );
        expect(denied.code).toBe('FORBIDDEN');
        expect(
          refusal(await core.invoke('reviews.list', { encounterId: visit.id }, { senderId: sender })).code,
        ).toBe('FORBIDDEN');
      }
      expect(
        refusal(
          await core.invoke('reviews.signOff', { encounterId: visit.id }, { senderId: 'nobody-window' }),
        ).code,
      ).toBe('NOT_SIGNED_IN');
      expect(
        await call<Review[]>(core, clinician.senderId, 'reviews.list', { encounterId: visit.id }),
      ).toEqual([]);
      expect(core.db!.prepare('SELECT count(*) FROM reviews').pluck().get()).toBe(0);
    } finally {
      await core.close();
    }
  });

  it('answers bad input with clear errors and keeps what was saved', async () => {
    const core = await startCore();
    try {
      const nurse = await signInAs(core, 'nurse');
      const clinician = await signInAs(core, 'clinician');
      const { visit } = await patientWithVisit(core, nurse.senderId, 'R-300');
      const kept = await call<Review>(core, clinician.senderId, 'reviews.signOff', { encounterId: visit.id });

      const missing = refusal(
        await core.invoke(
          'reviews.signOff',
          { encounterId: '00000000-0000-4000-8000-000000000000' },
          { senderId: clinician.senderId },
        ),
      );
      expect(missing).toEqual({ code: 'NOT_FOUND', message: 'This visit could not be found.' });
      const tooLong = refusal(
        await core.invoke(
          'reviews.signOff',
          { encounterId: visit.id, comment: 'x'.repeat(1001) },
          { senderId: clinician.senderId },
        ),
      );
      expect(tooLong.code).toBe('BAD_REQUEST');
      const notAnId = refusal(
        await core.invoke('reviews.signOff', { encounterId: 'visit-1' }, { senderId: clinician.senderId }),
      );
      expect(notAnId.code).toBe('BAD_REQUEST');
      const extra = refusal(
        await core.invoke(
          'reviews.signOff',
          { encounterId: visit.id, signedBy: nurse.userId },
          { senderId: clinician.senderId },
        ),
      );
      // The signer comes from the session, never from the request.
      expect(extra.code).toBe('BAD_REQUEST');
      expect(
        await call<Review[]>(core, clinician.senderId, 'reviews.list', { encounterId: visit.id }),
      ).toEqual([kept]);
    } finally {
      await core.close();
    }
  });

  it('lists the visits in progress with their patients, newest first, and drops finished ones', async () => {
    const core = await startCore();
    try {
      const nurse = await signInAs(core, 'nurse');
      const clinician = await signInAs(core, 'clinician');
      const a = await patientWithVisit(core, nurse.senderId, 'R-401');
      const b = await patientWithVisit(core, nurse.senderId, 'R-402');
      let open = await call<VisitInProgress[]>(core, clinician.senderId, 'reviews.visitsInProgress', {});
      expect(open.map((v) => v.patient.mrn).sort()).toEqual(['R-401', 'R-402']);
      expect(open.find((v) => v.patient.id === a.patient.id)?.encounter.id).toBe(a.visit.id);
      const finished = await call<{ finishedBy: string | null }>(core, nurse.senderId, 'encounters.finish', {
        encounterId: a.visit.id,
      });
      // Who finished it is the signed-in member of staff, not anything the window says.
      expect(finished.finishedBy).toBe(nurse.userId);
      open = await call<VisitInProgress[]>(core, clinician.senderId, 'reviews.visitsInProgress', {});
      expect(open.map((v) => v.encounter.id)).toEqual([b.visit.id]);
      expect(open[0]!.lastReviewedAt).toBeNull();
      const signed = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
        encounterId: b.visit.id,
      });
      open = await call<VisitInProgress[]>(core, clinician.senderId, 'reviews.visitsInProgress', {});
      expect(open.map((v) => [v.encounter.id, v.lastReviewedAt])).toEqual([[b.visit.id, signed.signedAt]]);
      // A finished visit can still be signed off afterwards.
      await call<Review>(core, clinician.senderId, 'reviews.signOff', { encounterId: a.visit.id });
      expect(
        refusal(await core.invoke('reviews.visitsInProgress', {}, { senderId: nurse.senderId })).code,
      ).toBe('FORBIDDEN');
    } finally {
      await core.close();
    }
  });

  it('writes each sign-off and each refusal to the audit trail, with identifiers only', async () => {
    const core = await startCore();
    try {
      const nurse = await signInAs(core, 'nurse');
      const clinician = await signInAs(core, 'clinician');
      const admin = await firstAdmin(core);
      const { patient, visit } = await patientWithVisit(core, nurse.senderId, 'R-500');
      const signed = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
        encounterId: visit.id,
        comment: 'Secret clinical words',
      });
      await core.invoke('reviews.signOff', { encounterId: visit.id }, { senderId: nurse.senderId });

      const { records } = await call<{ records: AuditRecordView[] }>(core, admin.senderId, 'audit.list', {
        filter: { action: 'reviews.signOff' },
      });
      const byOutcome = new Map(records.map((r) => [r.outcome, r]));
      expect(byOutcome.get('success')).toMatchObject({
        actorUserId: clinician.userId,
        actorRole: 'clinician',
        // A sign-off is a create: the record names the sign-off it created.
        resourceId: signed.id,
        patientId: patient.id,
      });
      expect(byOutcome.get('denied')).toMatchObject({
        actorUserId: nurse.userId,
        actorRole: 'nurse',
        resourceId: visit.id,
        detail: 'FORBIDDEN',
      });
      expect(JSON.stringify(records)).not.toContain('Secret clinical words');
    } finally {
      await core.close();
    }
  });

  it('keeps sign-offs across a restart on the same encrypted file', async () => {
    const dataDir = tempDir('vd-review-');
    const keys = memoryKeyProvider();
    const core = await startCore(dataDir, keys);
    const nurse = await signInAs(core, 'nurse');
    const clinician = await signInAs(core, 'clinician');
    const { visit } = await patientWithVisit(core, nurse.senderId, 'R-600');
    const review = await call<Review>(core, clinician.senderId, 'reviews.signOff', {
      encounterId: visit.id,
      comment: 'Seen.',
    });
    await core.close();

    // Reopened with the same key: the sign-off is read back as it was written. (A second sign-in would
    // reuse the account's two-factor code within the same 30 s window, so the row is read directly.)
    const again = await startCore(dataDir, keys);
    try {
      const rows = again
        .db!.prepare('SELECT id, encounter_id, signed_by, signed_at, comment FROM reviews')
        .all();
      expect(rows).toEqual([
        {
          id: review.id,
          encounter_id: visit.id,
          signed_by: clinician.userId,
          signed_at: review.signedAt,
          comment: 'Seen.',
        },
      ]);
    } finally {
      await again.close();
    }
  });
});
