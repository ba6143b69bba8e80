/**
 * Home data to the care team's FHIR server: every stored patient-generated value, oldest first, as an
 * Observation marked patient-generated (shared/fhir/home-observation.ts) beside its Patient, in
 * transactions sized like the rest of sync. Home values are append-only (migration 050), so a cursor (the
 * last row sent, kept in sync_state) is all the queue needs; every entry is a conditional create on the
 * value's identifier, so a retry after a lost answer creates nothing twice.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { buildTransactionBundle, type TransactionItem } from '../../shared/fhir/bundle';
import {
  HOME_OBSERVATION_SYSTEM,
  homeObservationToFhir,
  type HomeObservationRecord,
} from '../../shared/fhir/home-observation';
import { HOME_ECG_SYSTEM, homeEcgToFhir } from '../../shared/fhir/home-ecg';
import { bundleUrn } from '../../shared/fhir/identifiers';
import { mrnSystemOf, toFhirPatient, type PatientMappingOptions } from '../../shared/fhir/patient';
import type { Database } from '../db/connection';
import { ecgFromRow, type EcgRow } from '../db/repositories/home-ecgs';
import { CURRENT_HOME_VERSION } from '../db/repositories/home-observations';
import type { Logger } from '../logging/logger';
import { classify, confirmsAll } from './answer';
import { FhirRequestError, type FhirClient } from './fhir-client';
import { patientOf, type Outbox, type PatientColumns } from './outbox';
import { transactionSize } from './transaction-size';

const CURSOR_KEY = 'homeData.sentRowid';
/** How many values the server refused for good (they stay here; the cursor moved past them). */
const REJECTED_KEY = 'homeData.rejected';
/** Watch ECGs (append-only too) have a cursor of their own. */
const ECG_CURSOR_KEY = 'homeEcg.sentRowid';

interface EcgSyncRow extends PatientColumns, EcgRow {
  rowid: number;
}

export const HOME_REFUSED_MESSAGE =
  'The FHIR server refused some home data values; they stay at this workstation. Ask IT to check the server.';

interface HomeRow extends PatientColumns {
  rowid: number;
  id: string;
  /** A revisable total (a day's steps): the server keeps one Observation per series, updated in place. */
  series: string | null;
  format: HomeObservationRecord['format'];
  measure: HomeObservationRecord['measure'];
  value: number;
  diastolic: number | null;
  effective_start: string;
  effective_end: string | null;
  beyond_range: 'below' | 'above' | null;
  source_name: string | null;
  device: string | null;
}

/** What the sender reads and writes in the database: the values after the cursor, and the cursor. */
export interface HomeSyncSource {
  after(rowid: number, limit: number): HomeRow[];
  cursor(): number;
  /** Moves the cursor; `refused` values (the server refused them for good) are counted as rejected. */
  setCursor(rowid: number, problem?: string, refused?: number): void;
  /** Values not yet sent. */
  waiting(): number;
  /** For the sync status: values (and ECGs) waiting, sent and refused by the server. */
  summary(): { waiting: number; sent: number; rejected: number };
  /** Watch ECGs after the ECG cursor, and that cursor. */
  ecgsAfter(rowid: number, limit: number): EcgSyncRow[];
  ecgCursor(): number;
  setEcgCursor(rowid: number, problem?: string, refused?: number): void;
}

export function homeSyncSource(db: Database): HomeSyncSource {
  const after = db.prepare(
    `SELECT h.rowid, h.id, h.series, h.format, h.measure, h.value, h.diastolic, h.effective_start, h.effective_end,
       h.beyond_range, h.source_name, h.device, h.patient_id,
       p.mrn, p.family, p.given, p.birth_date, p.sex, p.phone, p.email
     FROM home_observations h JOIN patients p ON p.id = h.patient_id
     WHERE h.rowid > ? AND ${CURRENT_HOME_VERSION('h')} ORDER BY h.rowid LIMIT ?`,
  );
  const get = db.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const set = db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const waiting = db.prepare('SELECT count(*) FROM home_observations WHERE rowid > ?').pluck();
  const passed = db.prepare('SELECT count(*) FROM home_observations WHERE rowid <= ?').pluck();
  const cursor = (): number => Number(get.get(CURSOR_KEY) ?? 0) || 0;
  const rejected = (): number => Number(get.get(REJECTED_KEY) ?? 0) || 0;
  const ecgsAfter = db.prepare(
    `SELECT e.rowid, e.id, e.source_record_id, e.recorded_at, e.classification, e.classification_text,
       e.average_heart_rate, e.symptoms, e.device, e.software_version, e.sample_rate_hz, e.lead, e.sample_count,
       e.patient_id, p.mrn, p.family, p.given, p.birth_date, p.sex, p.phone, p.email
     FROM home_ecgs e JOIN patients p ON p.id = e.patient_id
     WHERE e.rowid > ? ORDER BY e.rowid LIMIT ?`,
  );
  const ecgsWaiting = db.prepare('SELECT count(*) FROM home_ecgs WHERE rowid > ?').pluck();
  const ecgsPassed = db.prepare('SELECT count(*) FROM home_ecgs WHERE rowid <= ?').pluck();
  const ecgCursor = (): number => Number(get.get(ECG_CURSOR_KEY) ?? 0) || 0;
  const moveCursor = (key: string, rowid: number, problem?: string, refused = 0): void => {
    db.transaction(() => {
      set.run(key, String(rowid));
      if (problem) set.run('lastError', problem);
      if (refused > 0) set.run(REJECTED_KEY, String(rejected() + refused));
    })();
  };
  return {
    after: (rowid, limit) => after.all(rowid, limit) as HomeRow[],
    cursor,
    setCursor: (rowid, problem, refused) => moveCursor(CURSOR_KEY, rowid, problem, refused),
    waiting: () => waiting.get(cursor()) as number,
    summary() {
      const at = cursor();
      const ecgAt = ecgCursor();
      const refused = rejected();
      // Values behind the cursors were either confirmed by the server or refused by it for good.
      const behind = (passed.get(at) as number) + (ecgsPassed.get(ecgAt) as number);
      return {
        waiting: (waiting.get(at) as number) + (ecgsWaiting.get(ecgAt) as number),
        sent: Math.max(0, behind - refused),
        rejected: refused,
      };
    },
    ecgsAfter: (rowid, limit) => ecgsAfter.all(rowid, limit) as EcgSyncRow[],
    ecgCursor,
    setEcgCursor: (rowid, problem, refused) => moveCursor(ECG_CURSOR_KEY, rowid, problem, refused),
  };
}

/** Adds each patient's conditional create (by MRN) to `items` the first time a row names them; gives the patient's urn. */
function patientEntries(
  items: TransactionItem[],
  options: PatientMappingOptions,
): (row: PatientColumns) => string {
  const added = new Set<string>();
  return (row) => {
    const patientUrl = bundleUrn('patient', row.patient_id);
    if (!added.has(row.patient_id)) {
      added.add(row.patient_id);
      items.push({
        resource: toFhirPatient(patientOf(row), options) satisfies Patient,
        fullUrl: patientUrl,
        mode: 'create-if-none-exist',
        identifier: { system: mrnSystemOf(options), value: row.mrn },
      });
    }
    return patientUrl;
  };
}

/** One transaction: each patient once (conditional create by MRN), then that batch's home values. */
export function buildHomeBundle(rows: readonly HomeRow[], options: PatientMappingOptions = {}): Bundle {
  const items: TransactionItem[] = [];
  const patientEntry = patientEntries(items, options);
  for (const row of rows) {
    const patientUrl = patientEntry(row);
    const identity = row.series === null ? row.id : `${row.patient_id}/${row.series}`;
    items.push({
      resource: homeObservationToFhir(
        {
          id: identity,
          format: row.format,
          measure: row.measure,
          value: row.value,
          diastolic: row.diastolic,
          effectiveStart: row.effective_start,
          effectiveEnd: row.effective_end,
          beyondRange: row.beyond_range,
          sourceName: row.source_name,
          device: row.device,
        },
        { reference: patientUrl },
      ),
      fullUrl: bundleUrn('home-observation', row.id),
      mode: row.series === null ? 'create-if-none-exist' : 'update-by-identifier',
      identifier: { system: HOME_OBSERVATION_SYSTEM, value: identity },
    });
  }
  return buildTransactionBundle(items);
}

/** One transaction of watch ECGs, each patient once, like buildHomeBundle. */
export function buildEcgBundle(rows: readonly EcgSyncRow[], options: PatientMappingOptions = {}): Bundle {
  const items: TransactionItem[] = [];
  const patientEntry = patientEntries(items, options);
  for (const row of rows) {
    const patientUrl = patientEntry(row);
    items.push({
      resource: homeEcgToFhir(ecgFromRow(row), { reference: patientUrl }),
      fullUrl: bundleUrn('home-ecg', row.id),
      mode: 'create-if-none-exist',
      identifier: { system: HOME_ECG_SYSTEM, value: row.id },
    });
  }
  return buildTransactionBundle(items);
}

/** Sends the home values (then the watch ECGs) not yet on the server. false: the server could not take them now. */
export function createHomeSender(deps: {
  source: HomeSyncSource;
  outbox: Outbox;
  client: FhirClient;
  logger: Logger;
  maxEntries: number;
  systems: PatientMappingOptions;
}): { send(): Promise<{ ok: boolean; sent: number; failure?: FhirRequestError | Error }> } {
  const { source, outbox, client, logger } = deps;
  const size = transactionSize(outbox, `${client.baseUrl}#home`, deps.maxEntries, logger);
  /** One kind of home data, oldest first from its cursor, until none is left or the server stops taking it. */
  const drain = async <Row extends { rowid: number }>(kind: {
    after: (rowid: number, limit: number) => Row[];
    cursor: () => number;
    setCursor: (rowid: number, problem?: string, refused?: number) => void;
    bundle: (rows: readonly Row[]) => Bundle;
  }): Promise<{ ok: boolean; sent: number; failure?: FhirRequestError | Error }> => {
    let sent = 0;
    for (;;) {
      // At most one patient entry per value: half the size always fits.
      const rows = kind.after(kind.cursor(), Math.max(1, Math.floor(size.current() / 2)));
      if (rows.length === 0) return { ok: true, sent };
      const bundle = kind.bundle(rows);
      const entries = bundle.entry?.length ?? 0;
      const last = (rows[rows.length - 1] as Row).rowid;
      try {
        const response = await client.transaction(bundle);
        if (!confirmsAll(response, bundle))
          throw new FhirRequestError('The FHIR server’s answer did not match what was sent.', {
            retryable: true,
          });
        size.accepted(entries);
        kind.setCursor(last);
        sent += rows.length;
      } catch (error) {
        const verdict = classify(error, { usedIfMatch: false });
        if (verdict.kind === 'too-large' && entries > 2) {
          size.refused(entries);
          continue;
        }
        if (verdict.kind === 'retry')
          return {
            ok: false,
            sent,
            failure: error instanceof Error ? error : new Error('home data not sent'),
          };
        // Refused for good: the values stay here; holding back every later one would stop home data for all.
        logger.warn('sync.home_refused', { status: verdict.status });
        kind.setCursor(last, HOME_REFUSED_MESSAGE, rows.length);
      }
    }
  };
  return {
    async send() {
      const values = await drain({
        after: source.after,
        cursor: source.cursor,
        setCursor: source.setCursor,
        bundle: (rows) => buildHomeBundle(rows, deps.systems),
      });
      if (!values.ok) return values;
      const ecgs = await drain({
        after: source.ecgsAfter,
        cursor: source.ecgCursor,
        setCursor: source.setEcgCursor,
        bundle: (rows) => buildEcgBundle(rows, deps.systems),
      });
      return { ...ecgs, sent: values.sent + ecgs.sent };
    },
  };
}
