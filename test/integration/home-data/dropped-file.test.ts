/**
 * A dropped file through the real core: main takes the path only from the window host's side of the
 * call (CallContext.droppedFile, set by the preload's channel or the Chromium host), never from what the
 * renderer sends. The renderer naming /etc/passwd, or asking for a drop that never happened, gets nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import { createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { cuffAppCsv } from '../../sim/home-data/mapped-csv';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

describe('a dropped home-data file', () => {
  it('is held for the window the host names; a renderer-named path is refused', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    await signInAs(core, 'nurse', 'w1');
    const patient = await core.invoke(
      'patients.register',
      { mrn: 'DROP-1', family: 'Sand', given: 'E', birthDate: '1960-01-01', sex: 'male' },
      { senderId: 'w1' },
    );
    if (!patient.ok) throw new Error(patient.error.message);
    const patientId = (patient.value as { id: string }).id;

    // The renderer's own calls: no drop happened, or it names a path itself.
    const noDrop = await core.invoke('homeData.acceptDrop', {}, { senderId: 'w1' });
    expect(noDrop).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    for (const request of [{ path: '/etc/passwd' }, { file: '/etc/passwd' }]) {
      expect(await core.invoke('homeData.acceptDrop', request, { senderId: 'w1' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(
      await core.invoke(
        'homeData.preview',
        { jobId: crypto.randomUUID(), patientId, fileToken: 'f'.repeat(32), path: '/etc/passwd' },
        { senderId: 'w1' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // The host's word: a real dropped file is held under a token, for that window only.
    const dir = tempDir('vd-drop-');
    const file = path.join(dir, 'cuff.csv');
    writeFileSync(file, cuffAppCsv());
    const held = await core.invoke(
      'homeData.acceptDrop',
      {},
      { senderId: 'w1', droppedFile: { path: file, fileName: 'cuff.csv' } },
    );
    expect(held).toMatchObject({ ok: true, value: { file: { fileName: 'cuff.csv' } } });
    const token = held.ok ? (held.value as { file: { token: string } }).file.token : '';
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const preview = await core.invoke(
      'homeData.preview',
      { jobId: crypto.randomUUID(), patientId, fileToken: token },
      { senderId: 'w1' },
    );
    expect(preview).toMatchObject({ ok: true, value: { status: 'needs-mapping' } });
    // Another window cannot use this window's token.
    await signInAs(core, 'nurse', 'w2');
    expect(
      await core.invoke(
        'homeData.preview',
        { jobId: crypto.randomUUID(), patientId, fileToken: token },
        { senderId: 'w2' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A folder is not a file.
    expect(
      await core.invoke(
        'homeData.acceptDrop',
        {},
        { senderId: 'w1', droppedFile: { path: dir, fileName: 'x' } },
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Signed out, a drop is refused like any call.
    expect(
      await core.invoke(
        'homeData.acceptDrop',
        {},
        { senderId: 'w3', droppedFile: { path: file, fileName: 'x' } },
      ),
    ).toMatchObject({ ok: false });
  });
});
