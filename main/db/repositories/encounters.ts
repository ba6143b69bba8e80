/** Telemedicine visits: one in progress per patient at a time. */
import { AppError } from '../../../shared/ipc';
import { startEncounterSchema, type Encounter, type StartEncounter } from '../../../shared/records';
import { systemClock, type Clock } from '../../platform/clock';
import type { Database } from '../connection';
import { withDbErrors } from '../errors';
import { newId } from '../ids';
import { parseOrThrow } from './validation';

interface EncounterRow {
  id: string;
  patient_id: string;
  status: Encounter['status'];
  start: string;
  end: string | null;
  external_visit_id: string | null;
  join_url: string | null;
  reason: string | null;
  location: string | null;
  created_by: string;
  finished_by: string | null;
}

const COLUMNS =
  'id, patient_id, status, start, "end", external_visit_id, join_url, reason, location, created_by, finished_by';

function toEncounter(row: EncounterRow): Encounter {
  return {
    id: row.id,
    patientId: row.patient_id,
    status: row.status,
    start: row.start,
    end: row.end,
    externalVisitId: row.external_visit_id,
    joinUrl: row.join_url,
    reason: row.reason,
    location: row.location,
    createdBy: row.created_by,
    finishedBy: row.finished_by,
  };
}

export type EncounterRepository = ReturnType<typeof encounterRepository>;

export function encounterRepository(db: Database, clock: Clock = systemClock) {
  const insert = db.prepare(
    `INSERT INTO encounters (${COLUMNS})
     VALUES (@id, @patient_id, @status, @start, @end, @external_visit_id, @join_url, @reason, @location, @created_by,
             @finished_by)`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM encounters WHERE id = ?`);
  const inProgress = db.prepare(
    `SELECT ${COLUMNS} FROM encounters WHERE patient_id = ? AND status = 'in-progress'`,
  );
  const patientExists = db.prepare('SELECT 1 FROM patients WHERE id = ?').pluck();
  const finish = db.prepare(
    `UPDATE encounters SET status = 'finished', "end" = ?, finished_by = ? WHERE id = ? AND status = 'in-progress'`,
  );

  const setJoinUrl = db.prepare(`UPDATE encounters SET join_url = ? WHERE id = ? AND status = 'in-progress'`);

  const get = (id: string): Encounter => {
    const row = byId.get(id) as EncounterRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'This visit could not be found.');
    return toEncounter(row);
  };

  return {
    getEncounter: (id: string): Encounter => withDbErrors(() => get(id)),

    startEncounter(input: StartEncounter, by: string): Encounter {
      const visit = parseOrThrow(startEncounterSchema, input);
      return withDbErrors(() =>
        db
          .transaction((): Encounter => {
            if (!patientExists.get(visit.patientId))
              throw new AppError('NOT_FOUND', 'This patient could not be found.');
            if (inProgress.get(visit.patientId))
              throw new AppError(
                'CONFLICT',
                'This patient already has a visit in progress. Finish it before starting another.',
              );
            const row: EncounterRow = {
              id: newId(clock.now().getTime()),
              patient_id: visit.patientId,
              status: 'in-progress',
              start: clock.now().toISOString(),
              end: null,
              external_visit_id: visit.externalVisitId ?? null,
              join_url: visit.joinUrl ?? null,
              reason: visit.reason ?? null,
              location: visit.location ?? null,
              created_by: by,
              finished_by: null,
            };
            insert.run(row);
            return toEncounter(row);
          })
          .immediate(),
      );
    },

    finishEncounter(id: string, by: string): Encounter {
      return withDbErrors(() =>
        db
          .transaction((): Encounter => {
            const current = get(id);
            if (current.status !== 'in-progress')
              throw new AppError('CONFLICT', 'This visit is not in progress, so it cannot be finished.');
            finish.run(clock.now().toISOString(), by, id);
            return get(id);
          })
          .immediate(),
      );
    },

    /** The caller has checked the link (https, policy hosts); only a visit in progress takes one. */
    setVideoLink(id: string, joinUrl: string): Encounter {
      return withDbErrors(() =>
        db
          .transaction((): Encounter => {
            const current = get(id);
            if (current.status !== 'in-progress')
              throw new AppError('CONFLICT', 'This visit is finished, so its video link cannot change.');
            setJoinUrl.run(joinUrl, id);
            return get(id);
          })
          .immediate(),
      );
    },

    currentEncounter(patientId: string): Encounter | null {
      const row = withDbErrors(() => inProgress.get(patientId) as EncounterRow | undefined);
      return row ? toEncounter(row) : null;
    },
  };
}
