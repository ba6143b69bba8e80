/**
 * Observations, append-only. Recording inserts the first version of a series; amending or marking
 * entered-in-error inserts a new version whose version_of is the current one (the database refuses
 * UPDATE and DELETE, see migration 003). The current version of a series is the one nothing corrects.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/ipc';
import type { DeviceProvenance } from '../../../shared/devices/reading';
import {
  componentSchema,
  correctionReasonSchema,
  newObservationSchema,
  observationKindSchema,
  observationValueSchema,
  timeRangeSchema,
  type NewObservation,
  type Observation,
  type ObservationValue,
  type TimeRange,
} from '../../../shared/records';
import { systemClock, type Clock } from '../../platform/clock';
import type { Database } from '../connection';
import { withDbErrors } from '../errors';
import { newId } from '../ids';
import { checkObservationValue, type CheckedValue } from './observation-rules';
import { parseOrThrow } from './validation';
import { deviceNotesOf, deviceProvenanceOf } from './device-provenance-row';

interface ObservationRow {
  id: string;
  version_of: string | null;
  series_id: string;
  patient_id: string;
  encounter_id: string | null;
  code: string;
  kind: Observation['kind'];
  value_quantity: number | null;
  value_code: Observation['valueCode'];
  unit: string | null;
  components: string;
  body_site: string | null;
  effective_at: string;
  recorded_at: string;
  recorded_by: string;
  method: Observation['method'];
  device_id: string | null;
  transport: DeviceProvenance['transport'] | null;
  driver: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  firmware: string | null;
  /** JSON array of sentences. */
  device_notes: string;
  /** The device reading this observation was accepted from (idempotency key with kind). */
  reading_id: string | null;
  device_clock_offset_ms: number | null;
  status: Observation['status'];
  reason: string | null;
}

const COLUMNS = `id, version_of, series_id, patient_id, encounter_id, code, kind, value_quantity, value_code,
  unit, components, body_site, effective_at, recorded_at, recorded_by, method, device_id, transport, driver,
  manufacturer, model, serial, firmware, device_notes, reading_id, device_clock_offset_ms, status, reason`;

/** What is read back: the stored columns and the recorder's display name. */
const READ_COLUMNS = `${COLUMNS}, (SELECT display_name FROM users WHERE users.id = recorded_by) AS recorded_by_name`;

/** Not corrected by any later version. */
const IS_CURRENT = 'NOT EXISTS (SELECT 1 FROM observations n WHERE n.version_of = o.id)';

const componentsSchema = z.array(componentSchema);

function toObservation(row: ObservationRow & { recorded_by_name?: string | null }): Observation {
  return {
    id: row.id,
    seriesId: row.series_id,
    versionOf: row.version_of,
    patientId: row.patient_id,
    encounterId: row.encounter_id,
    code: row.code,
    kind: row.kind,
    value: row.value_quantity,
    valueCode: row.value_code,
    unit: row.unit,
    components: componentsSchema.parse(JSON.parse(row.components)),
    bodySite: row.body_site,
    effectiveAt: row.effective_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name ?? undefined,
    method: row.method,
    device: deviceProvenanceOf(row),
    deviceNotes: deviceNotesOf(row),
    status: row.status,
    reason: row.reason,
  };
}

/** A measurement taken without a visit is listed with the patient's day for this long. */
const VISITLESS_WINDOW_MS = 24 * 60 * 60_000;

/** The versions of one series in order, first to current, by following version_of. */
function chainOf(rows: readonly ObservationRow[]): ObservationRow[] {
  const next = new Map(rows.filter((r) => r.version_of !== null).map((r) => [r.version_of!, r]));
  const ordered: ObservationRow[] = [];
  let row = rows.find((r) => r.version_of === null);
  while (row) {
    ordered.push(row);
    row = next.get(row.id);
  }
  return ordered;
}

/** Measurements more than this far in the future are a clock or typing error. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export type ObservationRepository = ReturnType<typeof observationRepository>;

export function observationRepository(db: Database, clock: Clock = systemClock) {
  const insert = db.prepare(
    `INSERT INTO observations (${COLUMNS}) VALUES (@id, @version_of, @series_id, @patient_id, @encounter_id,
      @code, @kind, @value_quantity, @value_code, @unit, @components, @body_site, @effective_at, @recorded_at,
      @recorded_by, @method, @device_id, @transport, @driver, @manufacturer, @model, @serial, @firmware, @device_notes,
      @reading_id, @device_clock_offset_ms, @status, @reason)`,
  );
  const byId = db.prepare(`SELECT ${READ_COLUMNS} FROM observations WHERE id = ?`);
  const byReading = db.prepare(
    `SELECT ${READ_COLUMNS} FROM observations WHERE reading_id = ? AND version_of IS NULL ORDER BY id`,
  );
  const successorOf = db.prepare('SELECT id FROM observations WHERE version_of = ?').pluck();
  const series = db.prepare(`SELECT ${READ_COLUMNS} FROM observations WHERE series_id = ?`);
  const patientExists = db.prepare('SELECT 1 FROM patients WHERE id = ?').pluck();
  const encounterPatient = db.prepare('SELECT patient_id FROM encounters WHERE id = ?').pluck();
  // Newest current version of one kind; a series whose current version is entered-in-error drops out.
  // Walks the (patient, kind, effective_at DESC, ..., status) index and stops at the first match.
  const latestOfKind = db.prepare(
    `SELECT ${READ_COLUMNS} FROM observations o INDEXED BY observations_patient_kind
     WHERE o.patient_id = ? AND o.kind = ? AND o.status != 'entered-in-error' AND ${IS_CURRENT}
     ORDER BY o.effective_at DESC, o.recorded_at DESC LIMIT 1`,
  );
  const history = db.prepare(
    `SELECT ${READ_COLUMNS} FROM observations o
     WHERE o.patient_id = @patient AND o.code = @code AND o.effective_at >= @from AND o.effective_at <= @to
       AND o.status != 'entered-in-error' AND ${IS_CURRENT}
     ORDER BY o.effective_at, o.recorded_at`,
  );

  // Every version of every measurement of one kind in a visit (versions share the first one's visit).
  const inVisit = db.prepare(
    `SELECT ${READ_COLUMNS} FROM observations o
     WHERE o.patient_id = @patient AND o.encounter_id = @encounter AND (@kind IS NULL OR o.kind = @kind)`,
  );
  // Without a visit: the patient's measurements of one kind taken without one since @since.
  const withoutVisit = db.prepare(
    `SELECT ${READ_COLUMNS} FROM observations o
     WHERE o.patient_id = @patient AND o.encounter_id IS NULL AND (@kind IS NULL OR o.kind = @kind)
       AND o.series_id IN (SELECT f.id FROM observations f
                           WHERE f.patient_id = @patient AND f.version_of IS NULL AND f.effective_at >= @since)`,
  );

  const getRow = (id: string): ObservationRow => {
    const row = byId.get(id) as ObservationRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'This measurement could not be found.');
    return row;
  };

  /** The version to correct must be the current one: otherwise someone corrected it first. */
  const currentOrConflict = (id: string): ObservationRow => {
    const row = getRow(id);
    if (successorOf.get(id))
      throw new AppError(
        'CONFLICT',
        'This measurement has already been corrected by someone else. Reload it and try again.',
      );
    if (row.status === 'entered-in-error')
      throw new AppError(
        'CONFLICT',
        'This measurement was marked as entered in error and cannot be changed.',
      );
    return row;
  };

  const insertVersion = (
    previous: ObservationRow,
    value: CheckedValue,
    status: 'amended' | 'entered-in-error',
    reason: string,
    by: string,
  ): Observation => {
    const row: ObservationRow = {
      ...previous,
      id: newId(clock.now().getTime()),
      version_of: previous.id,
      code: value.code,
      unit: value.unit,
      value_quantity: value.value,
      value_code: value.valueCode ?? null,
      components: JSON.stringify(value.components),
      body_site: value.bodySite,
      recorded_at: clock.now().toISOString(),
      recorded_by: by,
      status,
      reason,
    };
    insert.run(row);
    // Read back, so the answer carries the recorder's display name like every other read.
    return toObservation(getRow(row.id));
  };

  const checkedOf = (row: ObservationRow): CheckedValue => ({
    code: row.code,
    unit: row.unit,
    value: row.value_quantity,
    valueCode: row.value_code,
    components: componentsSchema.parse(JSON.parse(row.components)),
    bodySite: row.body_site,
  });

  const repository = {
    recordObservation(input: NewObservation, by: string, readingId?: string): Observation {
      const obs = parseOrThrow(newObservationSchema, input);
      const value = checkObservationValue(obs.kind, obs);
      if (obs.method === 'device' && !obs.device)
        throw new AppError('VALIDATION', 'A reading from a device must say which device it came from.', [
          { path: 'device', message: 'Missing device details.' },
        ]);
      if (obs.method === 'manual' && obs.deviceNotes?.length)
        throw new AppError('VALIDATION', 'A measurement typed in by hand has no device notes.', [
          { path: 'deviceNotes', message: 'Only a device reading carries what the device said.' },
        ]);
      if (obs.method === 'manual' && obs.device)
        throw new AppError('VALIDATION', 'A measurement typed in by hand has no device.', [
          { path: 'device', message: 'Remove the device, or record it as a device reading.' },
        ]);
      const effective = new Date(obs.effectiveAt);
      if (effective.getTime() > clock.now().getTime() + FUTURE_TOLERANCE_MS)
        throw new AppError(
          'VALIDATION',
          'The time of the measurement is in the future; check the clock and the time entered.',
          [{ path: 'effectiveAt', message: 'In the future.' }],
        );
      return withDbErrors(() =>
        db
          .transaction((): Observation => {
            if (!patientExists.get(obs.patientId))
              throw new AppError('NOT_FOUND', 'This patient could not be found.');
            if (obs.encounterId !== undefined) {
              const owner = encounterPatient.get(obs.encounterId);
              if (owner === undefined) throw new AppError('NOT_FOUND', 'This visit could not be found.');
              if (owner !== obs.patientId)
                throw new AppError('VALIDATION', 'This visit belongs to another patient.', [
                  { path: 'encounterId', message: 'Not this patient’s visit.' },
                ]);
            }
            const id = newId(clock.now().getTime());
            const device = obs.device;
            const row: ObservationRow = {
              id,
              version_of: null,
              series_id: id,
              patient_id: obs.patientId,
              encounter_id: obs.encounterId ?? null,
              code: value.code,
              kind: obs.kind,
              value_quantity: value.value,
              value_code: value.valueCode ?? null,
              unit: value.unit,
              components: JSON.stringify(value.components),
              body_site: value.bodySite,
              // Stored in UTC so text order is time order (indexes and ranges compare strings).
              effective_at: effective.toISOString(),
              recorded_at: clock.now().toISOString(),
              recorded_by: by,
              method: obs.method,
              device_id: device?.deviceId ?? null,
              transport: device?.transport ?? null,
              driver: device?.driver ?? null,
              manufacturer: device?.manufacturer ?? null,
              model: device?.model ?? null,
              serial: device?.serial ?? null,
              firmware: device?.firmware ?? null,
              device_notes: JSON.stringify(obs.deviceNotes ?? []),
              reading_id: readingId ?? null,
              device_clock_offset_ms: device?.clockOffsetMs ?? null,
              status: 'final',
              reason: null,
            };
            insert.run(row);
            return toObservation(getRow(row.id));
          })
          .immediate(),
      );
    },

    /**
     * Files what one device reading measured, once: in one transaction, every observation of the
     * reading carries its id; a reading already filed returns what it made then and adds nothing.
     */
    recordDeviceReading(
      readingId: string,
      inputs: readonly NewObservation[],
      by: string,
    ): { observations: Observation[]; alreadyFiled: boolean } {
      return withDbErrors(() =>
        db
          .transaction(() => {
            const earlier = (byReading.all(readingId) as ObservationRow[]).map(toObservation);
            if (earlier.length > 0) return { observations: earlier, alreadyFiled: true };
            const observations = inputs.map((input) => {
              if (input.method !== 'device')
                throw new AppError('VALIDATION', 'Only a device reading is filed by its reading id.');
              return repository.recordObservation(input, by, readingId);
            });
            return { observations, alreadyFiled: false };
          })
          .immediate(),
      );
    },

    /** The first versions of the observations a device reading made (empty when it was never filed). */
    observationsOfReading(readingId: string): Observation[] {
      return withDbErrors(() => (byReading.all(readingId) as ObservationRow[]).map(toObservation));
    },

    /**
     * A corrected value as a new version. The correction is typed by a person, so the new version is
     * `manual` and carries no device; the device reading stays in the history.
     */
    amendObservation(id: string, newValue: ObservationValue, reason: string, by: string): Observation {
      const value = parseOrThrow(observationValueSchema, newValue);
      const why = parseOrThrow(correctionReasonSchema, reason);
      return withDbErrors(() =>
        db
          .transaction((): Observation => {
            const current = currentOrConflict(id);
            const checked = checkObservationValue(current.kind, value);
            return insertVersion(
              {
                ...current,
                method: 'manual',
                device_id: null,
                transport: null,
                driver: null,
                manufacturer: null,
                model: null,
                serial: null,
                firmware: null,
                device_notes: '[]',
                device_clock_offset_ms: null,
              },
              checked,
              'amended',
              why,
              by,
            );
          })
          .immediate(),
      );
    },

    /** Withdraws a measurement: a new version with the same value, status entered-in-error. */
    markEnteredInError(id: string, reason: string, by: string): Observation {
      const why = parseOrThrow(correctionReasonSchema, reason);
      return withDbErrors(() =>
        db
          .transaction((): Observation => {
            const current = currentOrConflict(id);
            return insertVersion(current, checkedOf(current), 'entered-in-error', why, by);
          })
          .immediate(),
      );
    },

    getObservation(id: string): Observation {
      return toObservation(withDbErrors(() => getRow(id)));
    },

    /** Every version of one measurement, first to current. */
    observationHistory(seriesId: string): Observation[] {
      const rows = withDbErrors(() => series.all(seriesId)) as ObservationRow[];
      if (rows.length === 0) throw new AppError('NOT_FOUND', 'This measurement could not be found.');
      return chainOf(rows).map(toObservation);
    },

    /**
     * Every measurement of one kind (null: of every kind) in a visit, newest first, each with all its versions (first to
     * current), entered-in-error ones included: what the nurse corrects or withdraws. Without a visit,
     * the measurements taken without one in the last day.
     */
    valuesInVisit(
      patientId: string,
      kind: Observation['kind'] | null,
      encounterId: string | null,
    ): { seriesId: string; versions: Observation[] }[] {
      const rows = withDbErrors(() =>
        encounterId === null
          ? withoutVisit.all({
              patient: patientId,
              kind,
              since: new Date(clock.now().getTime() - VISITLESS_WINDOW_MS).toISOString(),
            })
          : inVisit.all({ patient: patientId, encounter: encounterId, kind }),
      ) as ObservationRow[];
      const bySeries = new Map<string, ObservationRow[]>();
      for (const row of rows) bySeries.set(row.series_id, [...(bySeries.get(row.series_id) ?? []), row]);
      const series = [...bySeries.entries()].map(([seriesId, versions]) => ({
        seriesId,
        versions: chainOf(versions).map(toObservation),
      }));
      const first = (s: { versions: Observation[] }) => s.versions[0]!;
      return series.sort(
        (a, b) =>
          first(b).effectiveAt.localeCompare(first(a).effectiveAt) ||
          first(b).recordedAt.localeCompare(first(a).recordedAt) ||
          b.seriesId.localeCompare(a.seriesId),
      );
    },

    /** The newest current value of each kind for a patient, without entered-in-error ones. */
    latestVitals(patientId: string): Observation[] {
      // One indexed probe per kind (a handful of page reads) rather than a scan of the patient's history.
      return withDbErrors(() =>
        observationKindSchema.options.flatMap((kind) => {
          const row = latestOfKind.get(patientId, kind) as ObservationRow | undefined;
          return row ? [toObservation(row)] : [];
        }),
      );
    },

    /** Current values of one LOINC code over a time range, oldest first. */
    vitalsHistory(patientId: string, code: string, range: TimeRange = {}): Observation[] {
      const { from, to } = parseOrThrow(timeRangeSchema, range);
      return (
        withDbErrors(() =>
          history.all({
            patient: patientId,
            code,
            from: from ? new Date(from).toISOString() : '',
            to: to ? new Date(to).toISOString() : '\uffff',
          }),
        ) as ObservationRow[]
      ).map(toObservation);
    },
  };
  return repository;
}
