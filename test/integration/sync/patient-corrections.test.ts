/**
 * Corrected patient details reach the FHIR server (a real Medplum router on loopback): merged into the
 * server's copy, which keeps what only the server knows, written back only if that copy has not moved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { buildPatientCorrectionBundle, identifierToken } from '../../../shared/fhir';
import { createFhirClient, FhirRequestError } from '../../../main/sync/fhir-client';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { NURSE, openWorkstation, recordHeartRates, registerPatient } from './helpers';

let server: FhirTestServer;
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  await server.close();
});

const byMrn = (mrn: string): string => `identifier=${identifierToken('urn:vitals-desk:mrn', mrn)}`;

describe('patient corrections sync', () => {
  it('replaces name, birth date and phone on the server and keeps what only the server holds', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'T-0100');
    recordHeartRates(ws, patient.id, 1);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 1, ok: true });
    const [created] = await server.search<Patient>('Patient', byMrn('T-0100'));
    // Another system adds an address, a nickname and a fax number to the same patient.
    await server.repo.updateResource<Patient>({
      ...(created as Patient & { id: string }),
      name: [...(created?.name ?? []), { use: 'nickname', given: ['Jo'] }],
      address: [{ city: 'Springfield' }],
      telecom: [{ system: 'fax', value: '555-0199' }],
    });

    ws.patients.correctPatient(
      {
        patientId: patient.id,
        expectedUpdatedAt: patient.updatedAt,
        changes: { family: 'Sampson', birthDate: '1961-07-15', phone: '555-0100' },
        reason: 'Name misspelt at registration',
      },
      NURSE,
    );
    // Counted for the header as a record update waiting, not as a value.
    expect(ws.outbox.summary()).toMatchObject({ queueLength: 0, updatesWaiting: 1 });
    expect(await ws.worker.runOnce()).toMatchObject({ ok: true });
    expect(ws.outbox.summary()).toMatchObject({ queueLength: 0, updatesWaiting: 0 });

    const onServer = await server.search<Patient>('Patient', byMrn('T-0100'));
    expect(onServer).toHaveLength(1);
    const corrected = onServer[0] as Patient;
    expect(corrected.id).toBe(created?.id);
    expect(corrected.name?.find((n) => n.use === 'official')).toMatchObject({
      family: 'Sampson',
      given: ['Jordan'],
    });
    expect(corrected.name?.find((n) => n.use === 'nickname')?.given).toEqual(['Jo']);
    expect(corrected.birthDate).toBe('1961-07-15');
    expect(corrected.address).toEqual([{ city: 'Springfield' }]);
    expect(corrected.telecom).toEqual([
      { system: 'fax', value: '555-0199' },
      { system: 'phone', value: '555-0100' },
    ]);

    // Sent once: a further pass sends nothing.
    const transactions = server.requests.transactions;
    expect(await ws.worker.runOnce()).toEqual({ sent: 0, rejected: 0, ok: true });
    expect(server.requests.transactions).toBe(transactions);
  });

  it('creates the patient by MRN when the server does not have it yet, and retries after a server error', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'T-0101');
    ws.patients.correctPatient(
      {
        patientId: patient.id,
        expectedUpdatedAt: patient.updatedAt,
        changes: { given: 'Jordan Lee' },
        reason: 'Middle name added',
      },
      NURSE,
    );
    server.failNext(1, '500');
    expect(await ws.worker.runOnce()).toMatchObject({ ok: false });
    expect(ws.outbox.summary().lastError).toBe('The FHIR server is having trouble; sync will try again.');
    expect(await server.search<Patient>('Patient', byMrn('T-0101'))).toHaveLength(0);

    expect(await ws.worker.runOnce()).toMatchObject({ ok: true });
    const onServer = await server.search<Patient>('Patient', byMrn('T-0101'));
    expect(onServer).toHaveLength(1);
    expect(onServer[0]?.name?.[0]?.given).toEqual(['Jordan', 'Lee']);
  });

  it('sets aside a patient whose MRN matches several on the server, and still sends the others', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const twice = registerPatient(ws, 'T-0102');
    const once = registerPatient(ws, 'T-0103');
    for (const family of ['Sample', 'Sampel']) {
      await server.repo.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: 'urn:vitals-desk:mrn', value: 'T-0102' }],
        name: [{ family }],
      });
    }
    for (const p of [twice, once]) {
      ws.patients.correctPatient(
        {
          patientId: p.id,
          expectedUpdatedAt: p.updatedAt,
          changes: { sex: 'female' },
          reason: 'Entered wrongly',
        },
        NURSE,
      );
    }
    expect(await ws.worker.runOnce()).toMatchObject({ ok: true });
    expect(ws.outbox.summary()).toMatchObject({ lastError: null, updatesWaiting: 0, rejected: 1 });
    const state = ws.db
      .prepare('SELECT patient_id, state, last_error FROM sync_patient_outbox ORDER BY rowid')
      .all() as { patient_id: string; state: string; last_error: string | null }[];
    expect(state).toEqual([
      {
        patient_id: twice.id,
        state: 'rejected',
        last_error:
          'Several patients on the FHIR server have this medical record number; ask the records office to merge them.',
      },
      { patient_id: once.id, state: 'sent', last_error: null },
    ]);
    expect((await server.search<Patient>('Patient', byMrn('T-0102'))).map((p) => p.gender)).toEqual([
      undefined,
      undefined,
    ]);
    expect((await server.search<Patient>('Patient', byMrn('T-0103')))[0]?.gender).toBe('female');
  });

  it('a correction made while an earlier one is on its way is still sent', () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'T-0104');
    const first = ws.patients.correctPatient(
      {
        patientId: patient.id,
        expectedUpdatedAt: patient.updatedAt,
        changes: { given: 'Jordy' },
        reason: 'Typo',
      },
      NURSE,
    );
    const [inFlight] = ws.outbox.pendingPatients(10);
    ws.patients.correctPatient(
      {
        patientId: patient.id,
        expectedUpdatedAt: first.updatedAt,
        changes: { given: 'Jordan' },
        reason: 'Typo again',
      },
      NURSE,
    );
    ws.outbox.markPatientSent(inFlight!);
    const pending = ws.outbox.pendingPatients(10);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.patient.given).toBe('Jordan');
  });

  it('a write-back based on a copy that changed on the server meanwhile is refused as retryable (412)', async () => {
    const client = createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } });
    const stale = await server.repo.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:vitals-desk:mrn', value: 'T-0105' }],
      name: [{ use: 'official', family: 'Sample' }],
    });
    await server.repo.updateResource<Patient>({ ...stale, birthDate: '1961-07-14' });
    const record = {
      id: 'local-1',
      mrn: 'T-0105',
      family: 'Sampson',
      given: 'Jordan',
      birthDate: '1961-07-14',
      sex: 'other' as const,
      phone: null,
      email: null,
    };
    const error = await client
      .transaction(buildPatientCorrectionBundle(record, stale))
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirRequestError);
    expect(error).toMatchObject({ retryable: true });
    expect((await server.search<Patient>('Patient', byMrn('T-0105')))[0]?.name?.[0]?.family).toBe('Sample');
  });
});
