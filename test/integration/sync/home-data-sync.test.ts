/**
 * Home data reaches the care team's FHIR server (Medplum's router over loopback) as Observations marked
 * patient-generated: the patient as performer, the data-origin tag and the source device; each value
 * once, however often a pass runs or repeats after a lost answer; the clinic's own values stay unmarked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { importHomeFile } from '../../../main/import/service';
import { homeSyncSource } from '../../../main/sync/home-sync';
import { PATIENT_GENERATED_TAG } from '../../../shared/fhir/home-observation';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { tempDir } from '../db/helpers';
import { clarityWindow } from '../home-data/helpers';
import { NURSE, openWorkstation, recordHeartRates, registerPatient, workerOver } from './helpers';

let server: FhirTestServer;
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  await server.close();
});

const isHome = (o: Observation) => o.meta?.tag?.some((t) => t.code === PATIENT_GENERATED_TAG.code) ?? false;

describe('home data sync', () => {
  it('sends each home value once, marked patient-generated with its device, beside unmarked clinic values', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws);
    recordHeartRates(ws, patient.id, 2);
    const file = clarityWindow(tempDir('vd-home-sync-'), 'clarity.csv', 0, 30);
    await importHomeFile({ db: ws.db, patientId: patient.id, path: file, importedBy: NURSE });
    const source = homeSyncSource(ws.db);
    const worker = workerOver(ws, server.baseUrl, {
      homeData: source,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    expect(source.waiting()).toBe(30);
    expect(await worker.runOnce()).toMatchObject({ ok: true });
    expect(source.waiting()).toBe(0);

    const all = await server.search<Observation>('Observation', '_count=1000');
    const home = all.filter(isHome);
    const clinic = all.filter((o) => !isHome(o));
    expect(home).toHaveLength(30);
    expect(clinic).toHaveLength(2);
    const patients = await server.search<Patient>('Patient', '_count=10');
    expect(patients).toHaveLength(1);
    const patientRef = `Patient/${patients[0]!.id}`;
    for (const o of home) {
      expect(o.performer?.[0]?.reference).toBe(patientRef);
      expect(o.subject?.reference).toBe(patientRef);
      expect(o.device?.display).toMatch(/transmitter 8AM1EY/);
      expect(o.code.coding?.[0]?.code).toBe('2339-0');
    }
    // The clinic's values name no patient as performer and carry no home tag.
    expect(clinic.every((o) => !o.performer?.some((p) => p.reference?.startsWith('Patient/')))).toBe(true);

    // Nothing new: nothing sent. A lost answer (the cursor not moved) sends again and creates nothing twice.
    await worker.runOnce();
    source.setCursor(0);
    expect(await worker.runOnce()).toMatchObject({ ok: true });
    expect((await server.search<Observation>('Observation', '_count=1000')).filter(isHome)).toHaveLength(30);
    await worker.stop();
  });
});
