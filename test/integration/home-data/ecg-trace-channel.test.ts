/**
 * Review asks for one watch ECG's trace to draw it: through the real core, after a nurse imported an
 * Apple Health export. The clinician gets the whole trace in µV; an admin is refused; one patient's ECG
 * cannot be read under another patient's id; every read, refused or not, is in the audit trail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Core } from '../../../main/core';
import type { EcgTrace, StoredEcg } from '../../../shared/home-data/ecg';
import { writeAppleHealthZip } from '../../sim/home-data/apple-health';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

const register = (core: Core, mrn: string, given: string) =>
  call<{ id: string }>(core, 'nurse-window', 'patients.register', {
    mrn,
    family: 'Okafor',
    given,
    birthDate: '1961-04-12',
    sex: 'female',
  });

describe('homeData.ecgTrace', () => {
  it('gives a clinician the whole trace of her patient’s ECG, and nothing across patients or roles', async () => {
    const { core } = await createTestCore();
    cores.push(core);
    await signInAs(core, 'nurse', 'nurse-window');
    await signInAs(core, 'clinician', 'review-window');
    await signInAs(core, 'admin', 'admin-window');
    const ada = await register(core, 'ECG-7001', 'Ada');
    const ngozi = await register(core, 'ECG-7002', 'Ngozi');
    const dir = tempDir('vd-ecg-trace-');
    const zip = path.join(dir, 'export.zip');
    await writeAppleHealthZip(zip, path.join(dir, 'export.xml'), {
      records: 20,
      birthDate: '1961-04-12',
      name: 'Ada Okafor',
      ecgs: [
        { recorded: '2026-11-20 07:45:10 +0000', birthDate: 'Apr 12, 1961', seconds: 30 },
        {
          recorded: '2026-11-24 22:13:40 +0000',
          birthDate: 'Apr 12, 1961',
          classification: 'Atrial Fibrillation',
          seconds: 20,
        },
      ],
    });
    core.attachFilePicker({ pick: () => Promise.resolve(zip) });
    const { file } = await call<{ file: { token: string } }>(core, 'nurse-window', 'homeData.chooseFile', {});
    const jobId = crypto.randomUUID();
    await call(core, 'nurse-window', 'homeData.preview', { jobId, patientId: ada.id, fileToken: file.token });
    await call(core, 'nurse-window', 'homeData.import', { jobId, patientId: ada.id });

    const { ecgs } = await call<{ ecgs: StoredEcg[] }>(core, 'review-window', 'homeData.forPatient', {
      patientId: ada.id,
      from: '2026-01-01T00:00:00Z',
      to: '2027-01-01T00:00:00Z',
    });
    expect(ecgs.map((e) => [e.classification, e.sampleCount])).toEqual([
      ['atrialFibrillation', 512 * 20],
      ['sinusRhythm', 512 * 30],
    ]);
    const sinus = ecgs[1]!;
    const trace = await call<EcgTrace>(core, 'review-window', 'homeData.ecgTrace', {
      patientId: ada.id,
      id: sinus.id,
    });
    expect(trace.ecg).toEqual(sinus);
    expect(trace.microvolts).toHaveLength(512 * 30);
    // The simulated beat peaks near 900 µV above a −40 µV floor: the values arrive in µV, unscaled.
    expect(Math.max(...trace.microvolts)).toBeGreaterThan(800);
    expect(Math.min(...trace.microvolts)).toBeCloseTo(-40, 0);

    // Ada's ECG asked for under Ngozi's id: not found, as if it did not exist.
    const across = await core.invoke(
      'homeData.ecgTrace',
      { patientId: ngozi.id, id: sinus.id },
      { senderId: 'review-window' },
    );
    expect(across).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // An admin sees no patient data.
    const admin = await core.invoke(
      'homeData.ecgTrace',
      { patientId: ada.id, id: sinus.id },
      { senderId: 'admin-window' },
    );
    expect(admin).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // An id that is not one (a path, SQL) is refused at the boundary.
    const odd = await core.invoke(
      'homeData.ecgTrace',
      { patientId: ada.id, id: "x' OR 1=1 --" },
      { senderId: 'review-window' },
    );
    expect(odd).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const trail = core
      .db!.prepare(
        `SELECT outcome, patient_id, resource_id FROM audit_log WHERE action = 'homeData.ecgTrace' ORDER BY seq`,
      )
      .all();
    expect(trail).toEqual([
      { outcome: 'success', patient_id: ada.id, resource_id: sinus.id },
      expect.objectContaining({ patient_id: ngozi.id, resource_id: sinus.id }),
      // The admin's refused read; the malformed request reached no handler and read nothing.
      expect.objectContaining({ patient_id: ada.id, outcome: 'denied' }),
    ]);
    expect(trail.slice(1).map((t) => (t as { outcome: string }).outcome)).not.toContain('success');
  });
});
