import type { Migration } from './types';

/**
 * latestVitals reads, per kind, the newest row that is current and not entered-in-error. With status
 * in the index, rows are skipped without reading the table, and only the chosen row is fetched (each
 * table page read is also a page decrypted).
 */
export const observationLatestIndexMigration: Migration = {
  version: 6,
  name: 'observation-latest-index',
  up(db) {
    db.exec(`
      DROP INDEX observations_patient_kind;
      CREATE INDEX observations_patient_kind
        ON observations (patient_id, kind, effective_at DESC, recorded_at DESC, status);
    `);
  },
};
