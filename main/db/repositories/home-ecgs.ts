/**
 * Watch ECGs (migration 055): staged in memory while a file is read (a few hundred at most, about
 * 60 KB each), stored in the import's transaction, listed for review. The trace is kept whole.
 */
import type { EcgClassification, EcgPreview, HomeEcg, StoredEcg } from '../../../shared/home-data/ecg';
import type { Database } from '../connection';

export interface StagedEcg {
  ecg: HomeEcg;
  samples: Float32Array;
}

function samplesBlob(samples: Float32Array): Buffer {
  const blob = Buffer.alloc(samples.length * 4);
  for (let i = 0; i < samples.length; i++) blob.writeFloatLE(samples[i]!, i * 4);
  return blob;
}

/** The ECGs of one file for one patient: which are new, what the preview says, and their storing. */
export function stageEcgs(db: Database, patientId: string) {
  const byId = new Map<string, StagedEcg>();
  let read = 0;
  const stored = db.prepare('SELECT 1 FROM home_ecgs WHERE patient_id = ? AND source_record_id = ?').pluck();
  const fresh = (): StagedEcg[] =>
    [...byId.values()].filter((e) => stored.get(patientId, e.ecg.sourceRecordId) === undefined);
  return {
    add(ecg: StagedEcg): void {
      read++;
      // The same recording twice in one file: the first is kept.
      if (!byId.has(ecg.ecg.sourceRecordId)) byId.set(ecg.ecg.sourceRecordId, ecg);
    },
    preview(): EcgPreview | undefined {
      if (read === 0) return undefined;
      const counts = new Map<EcgClassification, number>();
      for (const { ecg } of byId.values())
        counts.set(ecg.classification, (counts.get(ecg.classification) ?? 0) + 1);
      return {
        count: byId.size,
        newCount: fresh().length,
        byClassification: [...counts].map(([classification, count]) => ({ classification, count })),
      };
    },
    /** Inside the import's transaction. Returns how many were added. */
    store(importId: string): number {
      const insert = db.prepare(
        `INSERT INTO home_ecgs (id, patient_id, import_id, source_record_id, recorded_at, classification,
           classification_text, average_heart_rate, symptoms, device, software_version, sample_rate_hz, lead,
           sample_count, samples)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let added = 0;
      for (const { ecg, samples } of fresh()) {
        insert.run(
          `${importId}-ecg-${String(added).padStart(5, '0')}`,
          patientId,
          importId,
          ecg.sourceRecordId,
          ecg.recordedAt,
          ecg.classification,
          ecg.classificationText,
          ecg.averageHeartRate ?? null,
          JSON.stringify(ecg.symptoms),
          ecg.device ?? null,
          ecg.softwareVersion ?? null,
          ecg.sampleRateHz,
          ecg.lead ?? null,
          samples.length,
          samplesBlob(samples),
        );
        added++;
      }
      return added;
    },
  };
}
export type EcgStage = ReturnType<typeof stageEcgs>;

/** An ECG's columns as stored (the sync reads the same ones beside the patient's). */
export interface EcgRow {
  id: string;
  source_record_id: string;
  recorded_at: string;
  classification: EcgClassification;
  classification_text: string;
  average_heart_rate: number | null;
  symptoms: string;
  device: string | null;
  software_version: string | null;
  sample_rate_hz: number;
  lead: string | null;
  sample_count: number;
}

export function ecgFromRow(row: EcgRow): StoredEcg {
  return {
    id: row.id,
    sourceRecordId: row.source_record_id,
    recordedAt: row.recorded_at,
    classification: row.classification,
    classificationText: row.classification_text,
    ...(row.average_heart_rate !== null ? { averageHeartRate: row.average_heart_rate } : {}),
    symptoms: JSON.parse(row.symptoms) as string[],
    ...(row.device !== null ? { device: row.device } : {}),
    ...(row.software_version !== null ? { softwareVersion: row.software_version } : {}),
    sampleRateHz: row.sample_rate_hz,
    ...(row.lead !== null ? { lead: row.lead } : {}),
    sampleCount: row.sample_count,
  };
}

const COLUMNS = `id, source_record_id, recorded_at, classification, classification_text, average_heart_rate,
  symptoms, device, software_version, sample_rate_hz, lead, sample_count`;

export function homeEcgRepository(db: Database) {
  const list = db.prepare(
    `SELECT ${COLUMNS} FROM home_ecgs WHERE patient_id = ? ORDER BY recorded_at DESC LIMIT 200`,
  );
  const trace = db.prepare('SELECT samples FROM home_ecgs WHERE id = ? AND patient_id = ?').pluck();
  const one = db.prepare(`SELECT ${COLUMNS} FROM home_ecgs WHERE id = ? AND patient_id = ?`);
  return {
    /** Newest first (at most 200), without their traces. */
    forPatient: (patientId: string): StoredEcg[] => (list.all(patientId) as EcgRow[]).map(ecgFromRow),
    /** One recording of this patient (never another patient's, whatever the id), without its trace. */
    find(patientId: string, id: string): StoredEcg | undefined {
      const row = one.get(id, patientId) as EcgRow | undefined;
      return row ? ecgFromRow(row) : undefined;
    },
    /** One recording's samples in µV. */
    samples(patientId: string, id: string): Float32Array | undefined {
      const blob = trace.get(id, patientId) as Buffer | undefined;
      if (!blob) return undefined;
      const out = new Float32Array(blob.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
      return out;
    },
  };
}
