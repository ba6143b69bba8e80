/**
 * Key rotation from the Administration screen: the real core re-encrypts the database under a new key;
 * the patient data recorded before is still there afterwards, read through the core as a clinician.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('database key rotation', () => {
  it('an administrator replaces the key after confirming; the records stay readable', async () => {
    ws = await startWorkstation({ signIn: 'admin', route: 'admin' });
    const clinician = await signInAs(ws.core, 'clinician', 'test-clinician-key');
    const as = { senderId: clinician.senderId };
    const registered = await ws.core.invoke(
      'patients.register',
      { mrn: 'KEY-1', family: 'Moreau', given: 'Lea', birthDate: '1984-03-09', sex: 'female' },
      as,
    );
    expect(registered.ok).toBe(true);
    const keyFile = path.join(ws.dataDir, 'dev-db.key');
    const keyBefore = readFileSync(keyFile);

    const { page } = ws;
    await page.getByRole('button', { name: 'Replace the database key…' }).click();
    await page.getByRole('button', { name: 'Yes, replace the key now' }).click();
    await page.getByTestId('db-key-result').waitFor();
    expect(await page.getByTestId('db-key-result').textContent()).toMatch(
      /^The database key was replaced on /,
    );

    expect(readFileSync(keyFile).equals(keyBefore)).toBe(false);
    const found = await ws.core.invoke('patients.search', { query: 'KEY-1' }, as);
    expect(found).toMatchObject({ ok: true, value: [{ family: 'Moreau' }] });
  });
});
