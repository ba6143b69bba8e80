/**
 * A whole intake through the real core with its default logger (pino, through the redactor, into
 * <dataDir>/logs): sign-in, register, visit, vitals, a refused implausible value, an amendment, a bad
 * payload, lock and unlock. Then every file under logs/ is read: no name, MRN, birth date or value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { memoryKeyProvider } from '../../../main/db/keys';
import { signInAs } from '../../support/session';
import { valueOf } from '../../support/core';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe('logs carry no PHI', () => {
  it('after a full intake, no log file holds the patient name, MRN, birth date or a vital value', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-logs-'));
    dirs.push(dataDir);
    const core = await createCore({
      dataDir,
      appVersion: '0.0.0-test',
      host: 'chromium',
      heartbeatMs: 0,
      idleSweepMs: 0,
      dbKeyProvider: memoryKeyProvider(),
    });
    cores.push(core);
    const nurse = await signInAs(core, 'nurse', 'intake');
    const call = (channel: string, request: unknown) => core.invoke(channel, request, { senderId: 'intake' });
    const patient = valueOf<{ id: string }>(
      await call('patients.register', {
        mrn: 'QX-9917342',
        family: 'Featherstonehaugh',
        given: 'Wilhelmina',
        birthDate: '1947-10-23',
        sex: 'female',
        phone: '+44 7700 900461',
      }),
    );
    // Bad input on PHI channels: the payload is logged by shape only.
    await call('patients.register', { mrn: 'QX-9917342', family: 'Featherstonehaugh', given: 42 });
    await call('patients.search', { query: 'Featherstone' });
    const visit = valueOf<{ id: string }>(
      await call('encounters.start', { patientId: patient.id, reason: 'Wilhelmina dizzy' }),
    );
    const at = new Date().toISOString();
    const recorded = valueOf<{ id: string }>(
      await call('observations.record', {
        patientId: patient.id,
        encounterId: visit.id,
        kind: 'heartRate',
        value: 187,
        effectiveAt: at,
        method: 'manual',
        // 187 is rare (above 180): the nurse confirmed it, as the intake screen asks.
        confirmed: ['outer-band'],
      }),
    );
    await call('observations.record', {
      patientId: patient.id,
      encounterId: visit.id,
      kind: 'temperature',
      value: 73.3,
      effectiveAt: at,
      method: 'manual',
    });
    await call('observations.amend', {
      observationId: recorded.id,
      value: { value: 163 },
      reason: 'Featherstonehaugh moved during the reading',
    });
    await call('auth.lock', {});
    await call('auth.unlock', { password: nurse.password });
    await call('encounters.finish', { encounterId: visit.id });
    await call('auth.signOut', {});
    await core.close();

    const files = allFiles(path.join(dataDir, 'logs'));
    expect(files.length).toBeGreaterThan(0);
    // Each line is one JSON object; its timestamp is dropped so a millisecond count cannot look like a value.
    const text = files
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean))
      .map((line) => {
        const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .join('\n');
    // The log is not empty: the events are there, just not the data.
    expect(text).toContain('auth.signed_in');
    for (const secret of [
      'Featherstonehaugh',
      'Featherstone',
      'Wilhelmina',
      'QX-9917342',
      '9917342',
      '1947-10-23',
      '7700 900461',
      '187',
      '163',
      '73.3',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
