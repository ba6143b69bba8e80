/**
 * The attack the server's copy of the audit trail exists for: someone holding the database key AND the
 * audit key cuts the trail short and signs its new end again. "Verify the chain" then says intact, as it
 * must (the trail is self-consistent); "Compare with the server's copy" says records were removed.
 * A real FHIR server (Medplum's router, in memory) runs on loopback.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signHead } from '../../main/audit/head';
import { applyKey } from '../../main/db/connection';
import { DATABASE_FILE } from '../../main/db/patient-database';
import type { SyncConfig } from '../../main/sync/service';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
let fhir: FhirTestServer | undefined;
afterEach(async () => {
  await ws?.close();
  await fhir?.close();
  ws = undefined;
  fhir = undefined;
});

const hexKey = (file: string): Buffer => Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');

describe("The audit trail against the server's copy", () => {
  it('finds a trail cut short and re-signed, which the local check cannot', async () => {
    fhir = await startFhirServer();
    const sync: SyncConfig = { baseUrl: fhir.baseUrl, auth: { kind: 'none' }, autoStart: false };
    ws = await startWorkstation({ route: 'admin', signIn: 'admin', core: { fhir: sync } });
    const { page, core, dataDir } = ws;
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    const compare = page.getByRole('button', { name: "Compare with the server's copy" });
    const answer = page.getByTestId('audit-server-comparison');

    // Nothing sent yet: the screen says so rather than "agrees".
    await compare.click();
    await expect.poll(() => answer.textContent()).toMatch(/holds no copy of this trail yet/);

    // A nurse's morning is recorded and sent with the next sync.
    const nurse = await signInAs(core, 'nurse', 'audit-copy-nurse');
    for (const mrn of ['AC-1', 'AC-2']) {
      const registered = await core.invoke(
        'patients.register',
        { mrn, family: 'Ostrander', given: 'Lia', birthDate: '1961-05-04', sex: 'female' },
        { senderId: nurse.senderId },
      );
      expect(registered.ok).toBe(true);
    }
    const sent = await core.invoke('sync.now', {}, { senderId: nurse.senderId });
    expect(sent).toMatchObject({ ok: true, value: { ok: true } });
    await compare.click();
    await expect.poll(() => answer.textContent()).toMatch(/The server's copy agrees: its latest \d+ records/);
    const agreed = Number(/up to record (\d+)/.exec((await answer.textContent()) ?? '')?.[1]);
    expect(agreed).toBeGreaterThan(5);

    // The attacker: both keys in hand (the development host keeps them in files beside the database),
    // the guards dropped, the last three records deleted, the new end signed with the audit key.
    const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
    applyKey(db, hexKey(path.join(dataDir, 'dev-db.key')));
    for (const trigger of db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_head')",
      )
      .pluck()
      .all() as string[])
      db.exec(`DROP TRIGGER "${trigger}"`);
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(agreed - 3);
    const end = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const head = signHead(hexKey(path.join(dataDir, 'dev-db.key.audit')), end.seq, end.hash);
    db.prepare('UPDATE audit_head SET seq = @seq, hash = @hash, mac = @mac WHERE id = 1').run(head);
    db.close();

    // The local check cannot tell: the trail is consistent and its end is signed.
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/intact/);
    // The server's copy can. The Verify click above was itself recorded, at the first number the cut freed,
    // so that record now differs from the server's.
    await compare.click();
    await expect
      .poll(() => answer.textContent())
      .toBe(
        `The audit trail differs from the server's copy: record ${agreed - 2} here differs from the copy the server holds: it was changed after it was sent. Please tell IT security.`,
      );
    await ws.screenshot('audit-server-copy-truncated-1366x768');
  });

  it('says plainly when this workstation sends no copy to a server', async () => {
    ws = await startWorkstation({ route: 'admin', signIn: 'admin' });
    const { page } = ws;
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByRole('button', { name: "Compare with the server's copy" }).click();
    await page
      .getByRole('alert')
      .getByText(/Sync is not set up at this workstation/)
      .waitFor();
  });
});
