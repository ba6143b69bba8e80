/**
 * Sync against a FHIR server with its own limits and its own data: Medplum's loopback server with its
 * default transaction limits (at most 8 entries once any is conditional), servers that say 413 or 422,
 * two server patients sharing one MRN, and the clinic's own identifier systems. People are invented.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { identifierToken } from '../../../shared/fhir';
import { AppError } from '../../../shared/ipc';
import { classify, DUPLICATE_PATIENT_MESSAGE } from '../../../main/sync/answer';
import { FhirRequestError } from '../../../main/sync/fhir-client';
import { PULL_CONFLICT_MESSAGE } from '../../../main/sync/pull';
import { parsePolicy } from '../../../main/policy/load';
import { syncConfigFromPolicy } from '../../../main/sync/policy-config';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { sendFhirJson, startHostileServer, type HostileServer } from '../../support/hostile-fhir';
import { NURSE, openWorkstation, recordHeartRates, registerPatient } from './helpers';

let server: FhirTestServer;
const stubs: HostileServer[] = [];
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  for (const stub of stubs.splice(0)) await stub.close();
  await server.close();
});

const entriesOf = (body: string): number => ((JSON.parse(body) as Bundle).entry ?? []).length;
const isTransaction = (method: string, url: string): boolean =>
  method === 'POST' && /\/fhir\/R4\/?$/.test(url);

describe('transaction size adapts to the server', () => {
  it('a shift of three patients goes to Medplum with its default limits; the size it accepts is remembered for that server', async () => {
    // A stub in front of the real server only watches the transactions go by.
    const watch = await startHostileServer(() => 'forward', server.baseUrl);
    stubs.push(watch);
    const ws = openWorkstation({ baseUrl: watch.baseUrl, batchSize: 50 });
    const patients = ['T-0201', 'T-0202', 'T-0203'].map((mrn) => registerPatient(ws, mrn));
    const ids = patients.flatMap((p) => recordHeartRates(ws, p.id, 12));

    expect(await ws.worker.runOnce()).toEqual({ sent: 36, rejected: 0, ok: true });
    const all = await server.search<Observation>('Observation', '_count=1000');
    expect(all).toHaveLength(36);
    expect(server.requests.observationEntries).toBe(36);

    const sizes = watch.seen.filter((r) => isTransaction(r.method, r.url)).map((r) => entriesOf(r.body));
    // The first bundle holds up to the policy's 100 entries and is refused; each refusal halves it.
    expect(sizes[0]).toBeGreaterThan(8);
    expect(sizes.every((n) => n <= 100)).toBe(true);
    const learnt = ws.outbox.transactionLimit(watch.baseUrl);
    expect(learnt).toBeDefined();
    expect(learnt).toBeLessThan(sizes[0]!);
    // Once a size fits, the worker probes back up towards the limit, and is refused only a few times (a binary search).
    const firstFitting = sizes.findIndex((n) => n <= 8);
    expect(sizes.slice(firstFitting).filter((n) => n > 8).length).toBeLessThanOrEqual(4);
    // Halving, not one at a time: far fewer transactions than observations.
    expect(sizes.length).toBeLessThan(36);
    for (const id of ids) expect(ws.outbox.items([id])[0]?.state).toBe('sent');

    // The next shift on the same workstation starts at the remembered size: nothing is refused.
    const file = ws.file;
    const key = ws.key;
    await ws.close();
    const next = openWorkstation({ baseUrl: watch.baseUrl, file, key, batchSize: 50 });
    recordHeartRates(next, patients[0]!.id, 10);
    const before = watch.seen.length;
    expect(await next.worker.runOnce()).toEqual({ sent: 10, rejected: 0, ok: true });
    const later = watch.seen.slice(before).filter((r) => isTransaction(r.method, r.url));
    const observationsIn = (body: string): number =>
      ((JSON.parse(body) as Bundle).entry ?? []).filter((e) => e.resource?.resourceType === 'Observation')
        .length;
    // Every observation sent was in an accepted transaction: none was refused as too large.
    expect(later.reduce((n, r) => n + observationsIn(r.body), 0)).toBe(10);
    // The patient travels once per pass; later transactions refer to the server's Patient directly.
    expect(later.length).toBeGreaterThan(1);
    const patientEntries = later.map(
      (r) =>
        ((JSON.parse(r.body) as Bundle).entry ?? []).filter((e) => e.resource?.resourceType === 'Patient')
          .length,
    );
    expect(patientEntries).toEqual([1, ...Array<number>(later.length - 1).fill(0)]);
    const [onServerPatient] = await server.search<Patient>(
      'Patient',
      `identifier=${identifierToken('urn:vitals-desk:mrn', 'T-0201')}`,
    );
    const recorded = await server.search<Observation>(
      'Observation',
      `subject=Patient/${onServerPatient!.id}`,
    );
    expect(recorded).toHaveLength(22);
    expect(server.requests.observationEntries).toBe(46);
  });

  it.each([
    [413, undefined],
    [422, 'Bundle exceeds the maximum size of 5 entries'],
  ] as const)(
    'a server that answers %s to large transactions gets smaller ones, down to what it takes',
    async (status, text) => {
      const stub = await startHostileServer((request, res) => {
        if (isTransaction(request.method, request.url) && entriesOf(request.body) > 5) {
          sendFhirJson(
            res,
            status,
            text
              ? {
                  resourceType: 'OperationOutcome',
                  issue: [{ severity: 'error', code: 'too-costly', diagnostics: text }],
                }
              : { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] },
          );
          return;
        }
        return 'forward';
      }, server.baseUrl);
      stubs.push(stub);
      const ws = openWorkstation({ baseUrl: stub.baseUrl, batchSize: 50 });
      const patient = registerPatient(ws, 'T-0210');
      recordHeartRates(ws, patient.id, 9);
      expect(await ws.worker.runOnce()).toEqual({ sent: 9, rejected: 0, ok: true });
      expect(ws.outbox.transactionLimit(stub.baseUrl)).toBeLessThanOrEqual(5);
      expect(await server.search<Observation>('Observation', '_count=100')).toHaveLength(9);
    },
  );
});

describe('no head-of-line blocking', () => {
  it('two server patients with one MRN: that patient’s readings are set aside for the records office, everyone else’s go in the same pass', async () => {
    for (const family of ['Sample', 'Sampel']) {
      await server.repo.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: 'urn:vitals-desk:mrn', value: 'T-0301' }],
        name: [{ family }],
      });
    }
    const ws = openWorkstation({ baseUrl: server.baseUrl, batchSize: 50 });
    const twice = registerPatient(ws, 'T-0301');
    const others = ['T-0302', 'T-0303'].map((mrn) => registerPatient(ws, mrn));
    // The ambiguous patient is seen first, so the others queue behind them.
    const blocked = recordHeartRates(ws, twice.id, 4);
    const flowing = others.flatMap((p) => recordHeartRates(ws, p.id, 5));

    const pass = await ws.worker.runOnce();
    expect(pass).toEqual({ sent: 10, rejected: 4, ok: true });
    expect(ws.outbox.items(flowing).every((i) => i.state === 'sent')).toBe(true);
    expect(ws.outbox.items(blocked).every((i) => i.state === 'rejected')).toBe(true);
    const rows = ws.db
      .prepare(`SELECT DISTINCT last_error FROM sync_outbox WHERE state = 'rejected'`)
      .pluck()
      .all();
    expect(rows).toEqual([DUPLICATE_PATIENT_MESSAGE]);
    // Nothing of theirs reached either server patient.
    const onServer = await server.search<Observation>('Observation', '_count=100');
    expect(onServer).toHaveLength(10);
    const ambiguous = await server.search<Patient>(
      'Patient',
      `identifier=${identifierToken('urn:vitals-desk:mrn', 'T-0301')}`,
    );
    const ambiguousRefs = new Set(ambiguous.map((p) => `Patient/${p.id}`));
    expect(onServer.some((o) => ambiguousRefs.has(o.subject?.reference ?? ''))).toBe(false);
  });

  it('a reading the server refuses as invalid (422) is set aside with a message; the rest flow', async () => {
    const stub = await startHostileServer((request, res) => {
      if (isTransaction(request.method, request.url) && request.body.includes('"T-0402"')) {
        sendFhirJson(res, 422, {
          resourceType: 'OperationOutcome',
          issue: [
            { severity: 'error', code: 'invariant', diagnostics: 'Observation.value: constraint failed' },
          ],
        });
        return;
      }
      return 'forward';
    }, server.baseUrl);
    stubs.push(stub);
    const ws = openWorkstation({ baseUrl: stub.baseUrl, batchSize: 50, maxTransactionEntries: 8 });
    const [a, bad, c] = ['T-0401', 'T-0402', 'T-0403'].map((mrn) => registerPatient(ws, mrn));
    const ids = [a!, bad!, c!].map((p) => recordHeartRates(ws, p.id, 3));
    const pass = await ws.worker.runOnce();
    expect(pass).toEqual({ sent: 6, rejected: 3, ok: true });
    expect(ws.outbox.items(ids[1]!).every((i) => i.state === 'rejected')).toBe(true);
    const rows = ws.db
      .prepare(`SELECT DISTINCT last_error FROM sync_outbox WHERE state = 'rejected'`)
      .pluck()
      .all();
    expect(rows).toEqual([expect.stringMatching(/refused this measurement as invalid.*records office/)]);
    expect(await server.search<Observation>('Observation', '_count=100')).toHaveLength(6);
  });

  it('a 412 on If-Match (the record changed) is retried; a 412 on a conditional create is not', () => {
    const error = new FhirRequestError('changed', { status: 412, retryable: true });
    expect(classify(error, { usedIfMatch: true }).kind).toBe('retry');
    expect(classify(error, { usedIfMatch: false })).toMatchObject({ kind: 'set-aside', reason: 'duplicate' });
    const medplum = new FhirRequestError('refused', {
      status: 400,
      retryable: false,
      outcomeText: 'Transaction requires strict isolation but has too many entries',
    });
    expect(classify(medplum, { usedIfMatch: false }).kind).toBe('too-large');
    expect(
      classify(new FhirRequestError('refused', { status: 400, retryable: false }), { usedIfMatch: false }),
    ).toMatchObject({ kind: 'set-aside', reason: 'invalid' });
  });
});

describe('pulling a patient never merges two people', () => {
  it('several server patients with one MRN: the pull says so and shows neither one’s values', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'T-0501');
    for (const [family, rate] of [
      ['Sample', 61],
      ['Other', 150],
    ] as const) {
      const p = await server.repo.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: 'urn:vitals-desk:mrn', value: 'T-0501' }],
        name: [{ family }],
      });
      await server.repo.createResource<Observation>({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: `Patient/${p.id}` },
        effectiveDateTime: '2026-03-01T09:00:00Z',
        valueQuantity: { value: rate, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      });
    }
    const before = server.requests.total;
    const error = await ws.worker.pullPatient(patient.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: PULL_CONFLICT_MESSAGE });
    // One search for the patients; no observation of either was fetched or kept.
    expect(server.requests.total - before).toBe(1);
    expect(ws.outbox.remoteObservations(patient.id)).toEqual([]);

    // With one server patient, the same pull shows that patient's value.
    const single = registerPatient(ws, 'T-0502');
    const p = await server.repo.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:vitals-desk:mrn', value: 'T-0502' }],
    });
    await server.repo.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${p.id}` },
      effectiveDateTime: '2026-03-01T09:00:00Z',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const pulled = await ws.worker.pullPatient(single.id);
    expect(pulled.observations.map((o) => o.values)).toEqual([[{ kind: 'heartRate', value: 72 }]]);
  });

  it('a 5000-patient answer to the MRN search costs one request, not 5001', async () => {
    const stub = await startHostileServer((request, res) => {
      if (request.url.includes('/Patient?')) {
        sendFhirJson(res, 200, {
          resourceType: 'Bundle',
          type: 'searchset',
          entry: Array.from({ length: 5000 }, (_, i) => ({
            resource: { resourceType: 'Patient', id: `p${i}` },
          })),
        });
        return;
      }
      sendFhirJson(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
    });
    stubs.push(stub);
    const ws = openWorkstation({ baseUrl: stub.baseUrl });
    const patient = registerPatient(ws, 'T-0503');
    await expect(ws.worker.pullPatient(patient.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(stub.seen).toHaveLength(1);
  });
});

describe('the clinic’s identifier systems', () => {
  it('the policy’s MRN, measurement and visit systems are what the server receives', async () => {
    const policy = parsePolicy(
      JSON.stringify({
        fhir: {
          baseUrl: 'https://fhir.clinic.example/r4',
          mrnSystem: 'urn:oid:2.16.840.1.113883.19.5',
          observationSystem: 'https://fhir.clinic.example/id/vital-signs',
          encounterSystem: 'https://fhir.clinic.example/id/visits',
          maxEntriesPerTransaction: 40,
        },
      }),
    );
    expect(policy.problems).toEqual([]);
    const config = syncConfigFromPolicy(policy.policy.fhir);
    expect(config).toMatchObject({
      status: 'configured',
      config: {
        mrnSystem: 'urn:oid:2.16.840.1.113883.19.5',
        observationSystem: 'https://fhir.clinic.example/id/vital-signs',
        encounterSystem: 'https://fhir.clinic.example/id/visits',
        maxTransactionEntries: 40,
      },
    });
    const systems = {
      mrnSystem: 'urn:oid:2.16.840.1.113883.19.5',
      observationSystem: 'https://fhir.clinic.example/id/vital-signs',
      encounterSystem: 'https://fhir.clinic.example/id/visits',
    };
    const ws = openWorkstation({ baseUrl: server.baseUrl, systems });
    const patient = registerPatient(ws, 'T-0601');
    const visit = ws.encounters.startEncounter({ patientId: patient.id }, NURSE);
    const [id] = recordHeartRates(ws, patient.id, 1, visit.id);
    expect(await ws.worker.runOnce()).toMatchObject({ sent: 1, ok: true });
    const [onServer] = await server.search<Patient>(
      'Patient',
      `identifier=${identifierToken(systems.mrnSystem, 'T-0601')}`,
    );
    expect(onServer).toBeDefined();
    const observations = await server.search<Observation>(
      'Observation',
      `identifier=${identifierToken(systems.observationSystem, ws.outbox.items([id!])[0] ? seriesOf(ws, id!) : '')}`,
    );
    expect(observations).toHaveLength(1);
    expect(JSON.stringify(observations[0])).not.toContain('urn:vitals-desk:observation"');
    expect(observations[0]?.encounter?.reference).toMatch(/^Encounter\//);
    const [encounter] = await server.search(
      'Encounter',
      `identifier=${identifierToken(systems.encounterSystem, visit.id)}`,
    );
    expect(encounter).toBeDefined();
    // Pulling reads the clinic's system back: the value is known as this workstation's own.
    const pulled = await ws.worker.pullPatient(patient.id);
    expect(pulled.observations[0]?.seriesId).toBe(seriesOf(ws, id!));
  });

  it.each([
    ['mrnSystem', 'urn:vitals-desk mrn'],
    ['mrnSystem', 'mrn'],
    ['observationSystem', 'ftp://clinic.example/ids'],
    ['encounterSystem', 'urn:oid:1.2.abc'],
    ['observationSystem', 'https://user:pw@clinic.example/ids'],
  ])('a %s of %s is refused by name and not used', (field, value) => {
    const policy = parsePolicy(
      JSON.stringify({ fhir: { baseUrl: 'https://fhir.clinic.example/r4', [field]: value } }),
    );
    expect(policy.problems.map((p) => p.field)).toEqual([`fhir.${field}`]);
    expect(JSON.stringify(syncConfigFromPolicy(policy.policy.fhir))).not.toContain(value);
  });
});

function seriesOf(ws: ReturnType<typeof openWorkstation>, observationId: string): string {
  return ws.db
    .prepare('SELECT series_id FROM observations WHERE id = ?')
    .pluck()
    .get(observationId) as string;
}
