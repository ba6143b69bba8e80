import type { Migration } from './types';

/**
 * Each account's credentials version: an integer that only ever goes up, raised in the same
 * transaction by every change of who can get in with what (a password set, reset or changed, an
 * authenticator confirmed or reset, the account switched off or on). A sign-in, an unlock, a password
 * change or an authenticator confirmation reads it with the account and saves its result only where it
 * is still the same (compare-and-set): a timestamp could not tell a switch-off undone within the same
 * millisecond from no change, and a rename need not refuse anyone. Accounts that exist start at 1.
 *
 * The triggers make the database refuse a change that breaks the rule: the version going down, or the
 * account switched off or on, its authenticator or its "choose your own password" step changed without
 * the version going up. (A password hash may change without it: the same password rehashed at today's
 * cost; the store raises it for every new password.)
 */
export const credentialsVersionMigration: Migration = {
  version: 25,
  name: 'credentials-version',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN credentials_version INTEGER NOT NULL DEFAULT 1
        CHECK (credentials_version >= 1);
      CREATE TRIGGER users_credentials_version_only_up BEFORE UPDATE OF credentials_version ON users
      WHEN NEW.credentials_version < OLD.credentials_version
      BEGIN
        SELECT RAISE(ABORT, 'an account''s credentials version only goes up');
      END;
      CREATE TRIGGER users_credentials_change_raises_version
      BEFORE UPDATE OF disabled, totp_secret, totp_enrolled_at, must_change_password ON users
      WHEN (NEW.disabled IS NOT OLD.disabled
            OR NEW.totp_secret IS NOT OLD.totp_secret
            OR NEW.totp_enrolled_at IS NOT OLD.totp_enrolled_at
            OR NEW.must_change_password IS NOT OLD.must_change_password)
        AND NEW.credentials_version <= OLD.credentials_version
      BEGIN
        SELECT RAISE(ABORT, 'a change of who can sign in must raise the credentials version');
      END;
    `);
  },
};
