/**
 * The sync outbox over the encrypted database (migration 030). Observations are enqueued by a trigger in
 * the transaction that records them; this module reads what is pending, with everything the FHIR mapping
 * needs, and records what happened to each entry. Every state change is conditional on the entry still
 * being pending, so an entry is marked sent at most once.
 */
import { z } from 'zod';
import { componentSchema } from '../../shared/records';
import type { EncounterSyncUnit, SyncUnit } from '../../shared/fhir/sync-bundle';
import type { ObservationRecord, PatientRecord } from '../../shared/fhir/records';
import { remoteObservationSchema, type RemoteObservation } from '../../shared/fhir/from-observation';
import type { VitalKind } from '../../shared/clinical/vital-signs';
import type { Database } from '../db/connection';
import {
  deviceNotesOf,
  deviceProvenanceOf,
  type DeviceProvenanceColumns,
} from '../db/repositories/device-provenance-row';
import type { Clock } from '../platform/clock';

export type OutboxState = 'pending' | 'superseded' | 'sent' | 'rejected';

export interface PendingEntry {
  readonly observationId: string;
  readonly attempts: number;
  readonly unit: SyncUnit;
}

export interface OutboxItemStatus {
  readonly observationId: string;
  readonly state: OutboxState | 'unknown';
  readonly attempts: number;
  readonly sentAt: string | null;
}

export interface OutboxSummary {
  /** Observations waiting to be sent. */
  readonly queueLength: number;
  /** Corrected patients and finished visits waiting to be sent. */
  readonly updatesWaiting: number;
  /** Entries of any kind the server (or the mapping) refused for good. */
  readonly rejected: number;
  readonly lastSuccessAt: string | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

/** The patient columns joined onto a row that is sent: read with patientOf. */
export interface PatientColumns {
  patient_id: string;
  mrn: string;
  family: string;
  given: string;
  birth_date: string;
  sex: PatientRecord['sex'];
  phone: string | null;
  email: string | null;
}

interface PendingRow extends PatientColumns, DeviceProvenanceColumns {
  observation_id: string;
  series_id: string;
  version: number;
  attempts: number;
  encounter_id: string | null;
  kind: string;
  value_quantity: number | null;
  value_code: 'A' | 'C' | 'V' | 'P' | 'U' | null;
  components: string;
  body_site: string | null;
  effective_at: string;
  recorded_at: string;
  recorded_by: string;
  recorder_name: string | null;
  method: 'manual' | 'device';
  device_notes: string;
  status: ObservationRecord['status'];
  reason: string | null;
  enc_start: string | null;
  enc_end: string | null;
  enc_status: EncounterStatus | null;
}

type EncounterStatus = 'planned' | 'in-progress' | 'finished' | 'cancelled';

interface PendingEncounterRow extends PatientColumns {
  encounter_id: string;
  start: string;
  end: string | null;
  status: EncounterStatus;
}

type PendingPatientRow = PatientColumns & { generation: number };

export interface PendingPatient {
  readonly patient: PatientRecord;
  /** Which correction this is: marking it sent must not swallow a later one. */
  readonly generation: number;
}

export interface PendingEncounter {
  readonly encounterId: string;
  readonly unit: EncounterSyncUnit;
}

const componentsSchema = z.array(componentSchema);

function valuesOf(row: PendingRow): { kind: VitalKind; value: number }[] {
  const components = componentsSchema
    .parse(JSON.parse(row.components))
    .map((c) => ({ kind: c.kind, value: c.value }));
  if (row.kind === 'bloodPressure' || row.kind === 'consciousness') return components;
  if (row.value_quantity === null) return components;
  return [{ kind: row.kind as VitalKind, value: row.value_quantity }, ...components];
}

/** The patient columns joined onto an outbox row, as the mapping's patient record. */
export function patientOf(row: PatientColumns): PatientRecord {
  return {
    id: row.patient_id,
    mrn: row.mrn,
    family: row.family,
    given: row.given,
    birthDate: row.birth_date,
    sex: row.sex,
    phone: row.phone,
    email: row.email,
  };
}

/** A pending row as the mapping's input records. */
export function unitOf(row: PendingRow): SyncUnit {
  return {
    observation: {
      seriesId: row.series_id,
      version: row.version,
      status: row.status,
      patientId: row.patient_id,
      encounterId: row.encounter_id,
      values: valuesOf(row),
      consciousness: row.kind === 'consciousness' ? row.value_code : null,
      effectiveAt: row.effective_at,
      recordedAt: row.recorded_at,
      recordedBy: { id: row.recorded_by, displayName: row.recorder_name ?? 'Vitals Desk user' },
      method: row.method,
      device: deviceProvenanceOf(row),
      deviceNotes: deviceNotesOf(row),
      bodySite: row.body_site,
      reason: row.reason,
    },
    patient: patientOf(row),
    encounter:
      row.encounter_id !== null && row.enc_start !== null
        ? {
            id: row.encounter_id,
            patientId: row.patient_id,
            startedAt: row.enc_start,
            endedAt: row.enc_end,
            ...(row.enc_status ? { status: row.enc_status } : {}),
          }
        : null,
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(db: Database, clock: Clock) {
  const pending = db.prepare(
    `SELECT s.observation_id, s.series_id, s.version, s.attempts,
            o.patient_id, o.encounter_id, o.kind, o.value_quantity, o.value_code, o.components, o.body_site,
            o.effective_at, o.recorded_at, o.recorded_by, u.display_name AS recorder_name, o.method,
            o.device_id, o.transport, o.driver, o.manufacturer, o.model, o.serial, o.firmware, o.device_notes, o.status, o.reason,
            p.mrn, p.family, p.given, p.birth_date, p.sex, p.phone, p.email,
            e.start AS enc_start, e."end" AS enc_end, e.status AS enc_status
       FROM sync_outbox s
       JOIN observations o ON o.id = s.observation_id
       JOIN patients p ON p.id = o.patient_id
       LEFT JOIN encounters e ON e.id = o.encounter_id
       LEFT JOIN users u ON u.id = o.recorded_by
      WHERE s.state = 'pending'
      ORDER BY s.rowid
      LIMIT ?`,
  );
  const markSentStmt = db.prepare(
    `UPDATE sync_outbox SET state = 'sent', sent_at = @at, remote_id = @remoteId, last_error = NULL
      WHERE observation_id = @id AND state = 'pending'`,
  );
  const markFailedStmt = db.prepare(
    `UPDATE sync_outbox SET attempts = attempts + 1, last_attempt_at = @at, last_error = @error
      WHERE observation_id = @id AND state = 'pending'`,
  );
  const markRejectedStmt = db.prepare(
    `UPDATE sync_outbox SET state = 'rejected', attempts = attempts + 1, last_attempt_at = @at, last_error = @error
      WHERE observation_id = @id AND state = 'pending'`,
  );
  const patientRejectedEntriesStmt = db.prepare(
    `UPDATE sync_outbox SET state = 'rejected', attempts = attempts + 1, last_attempt_at = @at, last_error = @error
      WHERE state = 'pending'
        AND observation_id IN (SELECT id FROM observations WHERE patient_id = @patientId)`,
  );
  const countState = db.prepare('SELECT count(*) FROM sync_outbox WHERE state = ?').pluck();
  const countUpdates = db
    .prepare(
      `SELECT (SELECT count(*) FROM sync_patient_outbox WHERE state = @state)
            + (SELECT count(*) FROM sync_encounter_outbox WHERE state = @state)`,
    )
    .pluck();
  const getState = db.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const setStateStmt = db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const itemStmt = db.prepare('SELECT state, attempts, sent_at FROM sync_outbox WHERE observation_id = ?');
  const patientMrn = db.prepare('SELECT mrn FROM patients WHERE id = ?').pluck();
  const saveRemoteStmt = db.prepare(
    `INSERT INTO remote_observations (remote_id, patient_id, observation, effective_at, fetched_at)
     VALUES (@remoteId, @patientId, @observation, @effectiveAt, @at)
     ON CONFLICT (remote_id) DO UPDATE SET observation = excluded.observation,
       effective_at = excluded.effective_at, fetched_at = excluded.fetched_at, patient_id = excluded.patient_id`,
  );
  const remoteFor = db
    .prepare('SELECT observation FROM remote_observations WHERE patient_id = ? ORDER BY effective_at DESC')
    .pluck();

  const pendingEncountersStmt = db.prepare(
    `SELECT s.encounter_id, e.patient_id, e.start, e."end" AS end, e.status,
            p.mrn, p.family, p.given, p.birth_date, p.sex, p.phone, p.email
       FROM sync_encounter_outbox s
       JOIN encounters e ON e.id = s.encounter_id
       JOIN patients p ON p.id = e.patient_id
      WHERE s.state = 'pending'
      ORDER BY s.rowid
      LIMIT ?`,
  );
  const pendingPatientsStmt = db.prepare(
    `SELECT s.patient_id, s.generation, p.mrn, p.family, p.given, p.birth_date, p.sex, p.phone, p.email
       FROM sync_patient_outbox s JOIN patients p ON p.id = s.patient_id
      WHERE s.state = 'pending'
      ORDER BY s.rowid
      LIMIT ?`,
  );
  // Conditional on the generation read: a correction made while this one was on its way stays pending.
  const patientSentStmt = db.prepare(
    `UPDATE sync_patient_outbox SET state = 'sent', sent_at = @at, last_error = NULL
      WHERE patient_id = @id AND state = 'pending' AND generation = @generation`,
  );
  const patientFailedStmt = db.prepare(
    `UPDATE sync_patient_outbox SET attempts = attempts + 1, last_error = @error
      WHERE patient_id = @id AND state = 'pending'`,
  );
  const patientRejectedStmt = db.prepare(
    `UPDATE sync_patient_outbox SET state = 'rejected', attempts = attempts + 1, last_error = @error
      WHERE patient_id = @id AND state = 'pending' AND generation = @generation`,
  );
  const encounterSentStmt = db.prepare(
    `UPDATE sync_encounter_outbox SET state = 'sent', sent_at = @at, last_error = NULL
      WHERE encounter_id = @id AND state = 'pending'`,
  );
  const encounterFailedStmt = db.prepare(
    `UPDATE sync_encounter_outbox SET attempts = attempts + 1, last_error = @error
      WHERE encounter_id = @id AND state = 'pending'`,
  );
  const encounterRejectedStmt = db.prepare(
    `UPDATE sync_encounter_outbox SET state = 'rejected', attempts = attempts + 1, last_error = @error
      WHERE encounter_id = @id AND state = 'pending'`,
  );

  const now = (): string => clock.now().toISOString();
  const setState = (key: string, value: string | null): void => {
    setStateStmt.run(key, value);
  };

  return {
    /** The oldest pending entries. */
    pending(limit: number): PendingEntry[] {
      return (pending.all(limit) as PendingRow[]).map((row) => ({
        observationId: row.observation_id,
        attempts: row.attempts,
        unit: unitOf(row),
      }));
    },

    /**
     * Marks confirmed entries sent, in one transaction; returns how many were still pending. `problem`:
     * something IT should know although the entries went (it stays the last error).
     */
    markSent(
      confirmed: readonly { observationId: string; remoteId: string | null }[],
      problem?: string,
    ): number {
      const at = now();
      return db.transaction(() => {
        let changed = 0;
        for (const c of confirmed)
          changed += markSentStmt.run({ id: c.observationId, remoteId: c.remoteId, at }).changes;
        setState('lastSuccessAt', at);
        setState('lastError', problem ?? null);
        if (problem) setState('lastErrorAt', at);
        return changed;
      })();
    },

    /** A failed attempt that will be retried. `error` is a sentence without PHI. */
    markAttemptFailed(observationIds: readonly string[], error: string): void {
      const at = now();
      db.transaction(() => {
        for (const id of observationIds) markFailedStmt.run({ id, at, error });
        setState('lastError', error);
        setState('lastErrorAt', at);
      })();
    },

    /** The server (or the mapping) refused this entry for good: it stays visible, and is not retried. */
    markRejected(observationId: string, error: string): void {
      const at = now();
      db.transaction(() => {
        markRejectedStmt.run({ id: observationId, at, error });
        setState('lastError', error);
        setState('lastErrorAt', at);
      })();
    },

    /**
     * Every pending entry of one patient refused for good (e.g. the server holds two patients with their
     * MRN): they stay visible with `error`, and the other patients' entries keep flowing. Returns how many.
     */
    markPatientEntriesRejected(patientId: string, error: string): number {
      const at = now();
      return db.transaction(() => {
        const changed = patientRejectedEntriesStmt.run({ patientId, at, error }).changes;
        setState('lastError', error);
        setState('lastErrorAt', at);
        return changed;
      })();
    },

    /** The transaction size (entries) that last worked with this server, if one was learnt. */
    transactionLimit(server: string): number | undefined {
      const value = Number(getState.get(`maxEntries:${server}`) ?? NaN);
      return Number.isInteger(value) && value >= 1 ? value : undefined;
    },

    /** The last audit record sent to the server (0: none yet). */
    auditSentSeq(): number {
      const value = Number(getState.get('auditSentSeq') ?? 0);
      return Number.isSafeInteger(value) && value > 0 ? value : 0;
    },

    /** Audit records up to `seq` are on the server (or, with `problem`, were refused for good). */
    setAuditSentSeq(seq: number, problem?: string): void {
      const at = now();
      db.transaction(() => {
        setState('auditSentSeq', String(seq));
        if (problem) {
          setState('lastError', problem);
          setState('lastErrorAt', at);
        }
      })();
    },

    /** Remembers the transaction size this server accepts, across restarts. */
    rememberTransactionLimit(server: string, entries: number): void {
      setState(`maxEntries:${server}`, String(entries));
    },

    summary(): OutboxSummary {
      return {
        queueLength: Number(countState.get('pending')),
        updatesWaiting: Number(countUpdates.get({ state: 'pending' })),
        rejected: Number(countState.get('rejected')) + Number(countUpdates.get({ state: 'rejected' })),
        lastSuccessAt: (getState.get('lastSuccessAt') as string | null | undefined) ?? null,
        lastError: (getState.get('lastError') as string | null | undefined) ?? null,
        lastErrorAt: (getState.get('lastErrorAt') as string | null | undefined) ?? null,
      };
    },

    items(observationIds: readonly string[]): OutboxItemStatus[] {
      return observationIds.map((id) => {
        const row = itemStmt.get(id) as
          { state: OutboxState; attempts: number; sent_at: string | null } | undefined;
        return row
          ? { observationId: id, state: row.state, attempts: row.attempts, sentAt: row.sent_at }
          : { observationId: id, state: 'unknown', attempts: 0, sentAt: null };
      });
    },

    /** Visits that ended, waiting to be sent. */
    pendingEncounters(limit: number): PendingEncounter[] {
      return (pendingEncountersStmt.all(limit) as PendingEncounterRow[]).map((row) => ({
        encounterId: row.encounter_id,
        unit: {
          encounter: {
            id: row.encounter_id,
            patientId: row.patient_id,
            startedAt: row.start,
            endedAt: row.end,
            status: row.status,
          },
          patient: patientOf(row),
        },
      }));
    },

    /** Patients whose details were corrected, waiting to be sent. */
    pendingPatients(limit: number): PendingPatient[] {
      return (pendingPatientsStmt.all(limit) as PendingPatientRow[]).map((row) => ({
        patient: patientOf(row),
        generation: row.generation,
      }));
    },

    markPatientSent(patient: PendingPatient): void {
      const at = now();
      db.transaction(() => {
        patientSentStmt.run({ id: patient.patient.id, generation: patient.generation, at });
        setState('lastSuccessAt', at);
        setState('lastError', null);
      })();
    },

    /** `rejected`: the server refused it for good (it stays in the local record, and is not retried). */
    markPatientFailed(patient: PendingPatient, error: string, rejected: boolean): void {
      const at = now();
      db.transaction(() => {
        if (rejected)
          patientRejectedStmt.run({ id: patient.patient.id, generation: patient.generation, error });
        else patientFailedStmt.run({ id: patient.patient.id, error });
        setState('lastError', error);
        setState('lastErrorAt', at);
      })();
    },

    markEncountersSent(encounterIds: readonly string[]): number {
      const at = now();
      return db.transaction(() => {
        let changed = 0;
        for (const id of encounterIds) changed += encounterSentStmt.run({ id, at }).changes;
        setState('lastSuccessAt', at);
        setState('lastError', null);
        return changed;
      })();
    },

    markEncountersFailed(encounterIds: readonly string[], error: string, rejected: boolean): void {
      const at = now();
      db.transaction(() => {
        for (const id of encounterIds)
          (rejected ? encounterRejectedStmt : encounterFailedStmt).run({ id, error });
        setState('lastError', error);
        setState('lastErrorAt', at);
      })();
    },

    mrnOf(patientId: string): string | undefined {
      return patientMrn.get(patientId) as string | undefined;
    },

    saveRemote(patientId: string, observations: readonly RemoteObservation[]): void {
      const at = now();
      db.transaction(() => {
        for (const o of observations) {
          if (!o.remoteId) continue;
          saveRemoteStmt.run({
            remoteId: o.remoteId,
            patientId,
            observation: JSON.stringify(o),
            effectiveAt: o.effectiveAt,
            at,
          });
        }
      })();
    },

    remoteObservations(patientId: string): RemoteObservation[] {
      return (remoteFor.all(patientId) as string[]).map((text) =>
        remoteObservationSchema.parse(JSON.parse(text)),
      );
    },
  };
}
