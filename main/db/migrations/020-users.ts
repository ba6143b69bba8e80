import type { Migration } from './types';

/**
 * Staff accounts. Password hashes carry their own scrypt parameters; the TOTP secret is kept only in
 * this encrypted file; recovery codes are stored as salted hashes and marked used, never deleted.
 */
export const usersMigration: Migration = {
  version: 20,
  name: 'users',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id                TEXT PRIMARY KEY NOT NULL,
        username          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name      TEXT NOT NULL,
        role              TEXT NOT NULL CHECK (role IN ('nurse', 'clinician', 'admin')),
        password_hash     TEXT NOT NULL,
        disabled          INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        failed_attempts   INTEGER NOT NULL DEFAULT 0,
        last_failed_at    TEXT,
        totp_secret       TEXT,
        totp_enrolled_at  TEXT,
        totp_last_step    INTEGER,
        recovery_salt     TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE user_recovery_codes (
        user_id    TEXT NOT NULL REFERENCES users (id),
        code_hash  TEXT NOT NULL,
        created_at TEXT NOT NULL,
        used_at    TEXT,
        PRIMARY KEY (user_id, code_hash)
      ) STRICT;
    `);
  },
};
