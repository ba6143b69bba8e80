/**
 * Review sign-offs, append-only (migration 005): each "Reviewed" is a new row naming the visit, the
 * clinician and the time; nothing here updates or deletes. Also finds the visits in progress, so the
 * clinician can open the patient of the visit under way.
 */
import { AppError } from '../../../shared/ipc';
import type { Role } from '../../../shared/ipc/contract';
import type { Review } from '../../../shared/ipc/channels/reviews';
import { systemClock, type Clock } from '../../platform/clock';
import type { Database } from '../connection';
import { withDbErrors } from '../errors';
import { newId } from '../ids';

interface ReviewRow {
  id: string;
  encounter_id: string;
  patient_id: string;
  signed_by: string;
  signed_by_name: string;
  signed_by_role: Role;
  signed_at: string;
  comment: string | null;
}

const COLUMNS = 'id, encounter_id, patient_id, signed_by, signed_by_name, signed_by_role, signed_at, comment';

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    encounterId: row.encounter_id,
    patientId: row.patient_id,
    signedBy: row.signed_by,
    signedByName: row.signed_by_name,
    signedByRole: row.signed_by_role,
    signedAt: row.signed_at,
    comment: row.comment,
  };
}

/** Who signs: taken from the signed-in session, never from the request. */
export interface Signer {
  userId: string;
  displayName: string;
  role: Role;
}

export type ReviewRepository = ReturnType<typeof reviewRepository>;

export function reviewRepository(db: Database, clock: Clock = systemClock) {
  const insert = db.prepare(
    `INSERT INTO reviews (${COLUMNS})
     VALUES (@id, @encounter_id, @patient_id, @signed_by, @signed_by_name, @signed_by_role, @signed_at, @comment)`,
  );
  const encounterOf = db.prepare('SELECT patient_id, status FROM encounters WHERE id = ?');
  // rowid breaks ties between sign-offs in the same millisecond, so the order is the order of signing.
  const byEncounter = db.prepare(
    `SELECT ${COLUMNS} FROM reviews WHERE encounter_id = ? ORDER BY signed_at, rowid`,
  );
  const inProgress = db.prepare(
    `SELECT e.id, (SELECT max(r.signed_at) FROM reviews r WHERE r.encounter_id = e.id) AS last_reviewed_at
     FROM encounters e WHERE e.status = 'in-progress' ORDER BY e.start DESC LIMIT ?`,
  );

  const requireEncounter = (encounterId: string): { patient_id: string; status: string } => {
    const row = encounterOf.get(encounterId) as { patient_id: string; status: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'This visit could not be found.');
    return row;
  };

  return {
    /** Records a new sign-off of the visit; earlier ones stay as they were. */
    signOff(input: { encounterId: string; comment?: string | undefined }, signer: Signer): Review {
      const comment = input.comment?.trim() ? input.comment.trim() : null;
      return withDbErrors(() =>
        db
          .transaction((): Review => {
            const encounter = requireEncounter(input.encounterId);
            if (encounter.status === 'cancelled')
              throw new AppError('VALIDATION', 'This visit was cancelled, so there is nothing to review.');
            const signedAt = clock.now();
            const row: ReviewRow = {
              id: newId(signedAt.getTime()),
              encounter_id: input.encounterId,
              patient_id: encounter.patient_id,
              signed_by: signer.userId,
              signed_by_name: signer.displayName,
              signed_by_role: signer.role,
              signed_at: signedAt.toISOString(),
              comment,
            };
            insert.run(row);
            return toReview(row);
          })
          .immediate(),
      );
    },

    /** Every sign-off of the visit, oldest first. */
    listReviews(encounterId: string): Review[] {
      return withDbErrors(() => {
        requireEncounter(encounterId);
        return (byEncounter.all(encounterId) as ReviewRow[]).map(toReview);
      });
    },

    /** The visits in progress, newest first, with when each was last signed off. */
    visitsInProgress(limit = 50): { encounterId: string; lastReviewedAt: string | null }[] {
      return withDbErrors(() =>
        (inProgress.all(limit) as { id: string; last_reviewed_at: string | null }[]).map((row) => ({
          encounterId: row.id,
          lastReviewedAt: row.last_reviewed_at,
        })),
      );
    },
  };
}
