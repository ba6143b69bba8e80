/**
 * Each user's preferred units (temperature, weight, height, glucose): where that user's cards start,
 * over the clinic's units. Not PHI; kept in the encrypted database beside the workstation's other
 * settings (table from migration 040, one row per user under `user-units:<user id>`), so it follows
 * the user at this workstation and never sits in the settings file another account could edit.
 */
import type { Database } from '../db/connection';
import { myUnitsSchema, type MyUnits } from '../../shared/ipc/channels/settings';

export interface UserUnitStore {
  read(userId: string): MyUnits;
  write(userId: string, units: MyUnits, at: string): MyUnits;
}

const keyOf = (userId: string) => `user-units:${userId}`;

export function databaseUserUnitStore(db: Database): UserUnitStore {
  // Prepared per call, as the security choices are: the database handle may be swapped by a key rotation.
  const select = () => db.prepare('SELECT value FROM workstation_settings WHERE key = ?').pluck();
  const upsert = () =>
    db.prepare(
      `INSERT INTO workstation_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    );
  return {
    read(userId) {
      const stored = select().get(keyOf(userId));
      if (typeof stored !== 'string') return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(stored);
      } catch {
        return {};
      }
      // A row that no longer fits (a unit since withdrawn) falls back to the clinic's units.
      const checked = myUnitsSchema.safeParse(parsed);
      return checked.success ? checked.data : {};
    },
    write(userId, units, at) {
      const checked = myUnitsSchema.parse(units);
      upsert().run(keyOf(userId), JSON.stringify(checked), at, userId);
      return checked;
    },
  };
}
