/**
 * The administrator's workstation security choices in the encrypted database (table from migration
 * 040): editing them needs the database key, which the per-user settings file does not.
 */
import { z } from 'zod';
import type { Database } from '../db/connection';
import { BOUNDED_KEYS, type SecurityChoiceStore, type SecurityChoices } from './workstation-security';

const minutes = z.number().int().min(1).max(1440);

export function databaseSecurityChoiceStore(db: Database): SecurityChoiceStore {
  return {
    read() {
      const rows = db.prepare('SELECT key, value FROM workstation_settings').all() as {
        key: string;
        value: string;
      }[];
      const out: SecurityChoices = {};
      for (const row of rows) {
        if (!(BOUNDED_KEYS as readonly string[]).includes(row.key)) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(row.value);
        } catch {
          continue;
        }
        const checked = minutes.safeParse(parsed);
        if (checked.success) out[row.key as keyof SecurityChoices] = checked.data;
      }
      return out;
    },
    write(key, value, at, by) {
      db.prepare(
        `INSERT INTO workstation_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
      ).run(key, JSON.stringify(value), at, by);
    },
    checkpoint() {
      // The rows as they are, with who chose them and when: put back whole, or not at all.
      const rows = db.prepare('SELECT key, value, updated_at, updated_by FROM workstation_settings').all();
      return db.transaction(() => {
        db.prepare('DELETE FROM workstation_settings').run();
        const insert = db.prepare(
          'INSERT INTO workstation_settings (key, value, updated_at, updated_by) VALUES (@key, @value, @updated_at, @updated_by)',
        );
        for (const row of rows) insert.run(row);
      });
    },
  };
}
