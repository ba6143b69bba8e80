/**
 * An administrator verifies an audit trail someone cut short with a SQLite tool (the database key in
 * hand, the app's triggers dropped): the Admin screen says the last records were removed.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyKey } from '../../main/db/connection';
import { DATABASE_FILE } from '../../main/db/patient-database';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('Audit trail verification', () => {
  it('tells the administrator when the last records were removed outside the app', async () => {
    ws = await startWorkstation({ route: 'admin', signIn: 'admin' });
    const { page, dataDir } = ws;
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/intact/);

    // The development host keeps its key in a file beside the database: the attacker's starting point.
    const key = Buffer.from(readFileSync(path.join(dataDir, 'dev-db.key'), 'utf8').trim(), 'hex');
    const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE));
    applyKey(db, key);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)').run();
    db.close();

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect
      .poll(() => page.getByTestId('audit-verdict').textContent())
      .toMatch(/the last records were removed\). Please tell IT security\./);
    await ws.screenshot('audit-verdict-truncated-1366x768');
  });
});
