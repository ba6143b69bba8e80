/**
 * Each nurse's own units through the real core: two nurses at one workstation keep different units,
 * neither sees or changes the other's, a unit that is not one of the choices is refused without
 * touching what was saved, and the settings file another account could edit never holds them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../../../main/db/keys';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { openDatabase } from '../../../main/db/connection';
import { databaseUserUnitStore } from '../../../main/settings/user-units';
import { openFixture } from '../db/fixtures';
import { tempDir } from '../db/helpers';

describe("each user's own units", () => {
  it('are kept per user and are refused when not one of the choices', async () => {
    const dataDir = tempDir();
    const keys = memoryKeyProvider();
    const { core } = await createTestCore({ dataDir, dbKeyProvider: keys });
    const ana = await signInAs(core, 'nurse', 'ana-window');
    const ben = await signInAs(core, 'nurse', 'ben-window');

    expect(await call(core, ana.senderId, 'settings.myUnits', {})).toEqual({});
    const anaUnits = {
      bodyTemperature: '[degF]',
      bodyWeight: '[lb_av]',
      bodyHeight: 'ft+in',
      glucose: 'mmol/L',
    };
    expect(await call(core, ana.senderId, 'settings.setMyUnits', anaUnits)).toEqual(anaUnits);
    await call(core, ben.senderId, 'settings.setMyUnits', { bodyHeight: '[in_i]' });
    expect(await call(core, ana.senderId, 'settings.myUnits', {})).toEqual(anaUnits);
    expect(await call(core, ben.senderId, 'settings.myUnits', {})).toEqual({ bodyHeight: '[in_i]' });

    // Not a choice (a FHIR-ish unit, a prototype key, an unknown vital): refused, nothing changed.
    for (const bad of [{ bodyWeight: 'g' }, { glucose: 'toString' }, { heartRate: '/min' }]) {
      const refused = await core.invoke('settings.setMyUnits', bad, { senderId: ana.senderId });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('BAD_REQUEST');
    }
    expect(await call(core, ana.senderId, 'settings.myUnits', {})).toEqual(anaUnits);

    // Signed out, there is no "own" to read.
    await call(core, ben.senderId, 'auth.signOut', {});
    const signedOut = await core.invoke('settings.myUnits', {}, { senderId: ben.senderId });
    expect(signedOut.ok).toBe(false);

    // Clearing one unit goes back to the clinic's for it.
    await call(core, ana.senderId, 'settings.setMyUnits', { ...anaUnits, glucose: undefined });
    const { glucose: _g, ...withoutGlucose } = anaUnits;
    expect(await call(core, ana.senderId, 'settings.myUnits', {})).toEqual(withoutGlucose);
    await core.close();

    // Not in the plain settings file: that is the clinic's, not one user's.
    for (const file of ['settings.json', 'config.json'].map((f) => path.join(dataDir, f)))
      if (existsSync(file)) expect(readFileSync(file, 'utf8')).not.toContain('mmol');
  });

  it('are read back after the database is reopened, and a row that no longer fits falls back to the clinic', () => {
    const f = openFixture();
    const store = databaseUserUnitStore(f.db);
    store.write('user-a', { bodyHeight: '[in_i]', glucose: 'mmol/L' }, '2026-03-01T09:00:00.000Z');
    store.write('user-b', { bodyWeight: '[lb_av]' }, '2026-03-01T09:00:00.000Z');
    f.db.close();
    const db = openDatabase({ file: f.file, key: f.key });
    const reopened = databaseUserUnitStore(db);
    expect(reopened.read('user-a')).toEqual({ bodyHeight: '[in_i]', glucose: 'mmol/L' });
    expect(reopened.read('user-b')).toEqual({ bodyWeight: '[lb_av]' });
    expect(reopened.read('user-c')).toEqual({});
    // A row written by hand with a unit that is not a choice, or not JSON: the clinic's units apply.
    db.prepare("UPDATE workstation_settings SET value = ? WHERE key = 'user-units:user-a'").run(
      JSON.stringify({ bodyHeight: 'furlong' }),
    );
    db.prepare("UPDATE workstation_settings SET value = 'not json' WHERE key = 'user-units:user-b'").run();
    expect(reopened.read('user-a')).toEqual({});
    expect(reopened.read('user-b')).toEqual({});
    expect(() => reopened.write('user-a', { bodyHeight: 'furlong' } as never, 'now')).toThrow();
    db.close();
  });
});
