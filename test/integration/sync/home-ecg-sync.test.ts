/**
 * Watch ECGs reach the care team's FHIR server (Medplum's router on loopback) as patient-generated
 * Observations: LOINC 8601-7 "EKG impression" with the watch's classification as the value, the patient
 * as performer, the watch as the device, a note that the classification is the watch's; each once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { importHomeFile } from '../../../main/import/service';
import { homeSyncSource } from '../../../main/sync/home-sync';
import { PATIENT_GENERATED_TAG } from '../../../shared/fhir/home-observation';
import { appleHealthXml, appleHealthZip } from '../../sim/home-data/apple-health';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { tempDir } from '../db/helpers';
import { NURSE, openWorkstation, registerPatient, workerOver } from './helpers';

let server: FhirTestServer;
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  await server.close();
});

describe('watch ECG sync', () => {
  it('sends each ECG once as a patient-generated EKG impression with its watch', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    const file = path.join(tempDir('vd-ecg-sync-'), 'export.zip');
    const me =
      '<Me HKCharacteristicTypeIdentifierDateOfBirth="1961-07-14" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>';
    writeFileSync(
      file,
      appleHealthZip(
        appleHealthXml('', me),
        [],
        [
          {
            recorded: '2026-11-03 21:40:11 +0100',
            classification: 'Atrial Fibrillation',
            symptoms: 'Heart palpitations',
            birthDate: 'Jul 14, 1961',
            name: 'Jordan Sample',
            seconds: 2,
          },
          {
            recorded: '2026-11-04 07:00:00 +0100',
            birthDate: 'Jul 14, 1961',
            name: 'Jordan Sample',
            seconds: 2,
          },
        ],
      ),
    );
    expect(
      await importHomeFile({ db: ws.db, patientId: patient.id, path: file, importedBy: NURSE }),
    ).toMatchObject({
      ecgsAdded: 2,
    });
    const source = homeSyncSource(ws.db);
    expect(source.summary()).toEqual({ waiting: 2, sent: 0, rejected: 0 });
    const worker = workerOver(ws, server.baseUrl, {
      homeData: source,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    expect(await worker.runOnce()).toMatchObject({ ok: true });
    expect(source.summary()).toEqual({ waiting: 0, sent: 2, rejected: 0 });

    const ecgs = (await server.search<Observation>('Observation', 'code=8601-7')).sort((a, b) =>
      String(a.effectiveDateTime).localeCompare(String(b.effectiveDateTime)),
    );
    expect(ecgs).toHaveLength(2);
    const afib = ecgs[0]!;
    expect(afib.meta?.tag?.some((t) => t.code === PATIENT_GENERATED_TAG.code)).toBe(true);
    expect(afib.performer?.[0]?.reference).toBe(afib.subject?.reference);
    expect(afib.subject?.reference).toMatch(/^Patient\//);
    expect(afib.effectiveDateTime).toBe('2026-11-03T20:40:11.000Z');
    expect(afib.valueCodeableConcept?.text).toBe(
      'Atrial fibrillation (watch classification: Atrial Fibrillation)',
    );
    expect(afib.device?.display).toBe('Apple Watch (Watch7,3), ECG app 2');
    expect(afib.note?.[0]?.text).toMatch(/not a clinic diagnosis.*Symptoms reported: Heart palpitations/);

    // Again, and after a lost answer (the cursor back at the start): nothing twice.
    await worker.runOnce();
    source.setEcgCursor(0);
    expect(await worker.runOnce()).toMatchObject({ ok: true });
    expect(await server.search<Observation>('Observation', 'code=8601-7')).toHaveLength(2);
    await worker.stop();
  });
});
