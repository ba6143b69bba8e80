/**
 * Provenance names the exact Observation version it describes (`Observation/{id}/_history/{vid}`): checked
 * by reading that version back from a real FHIR server (Medplum on loopback), through a shift with
 * corrections, and against a server whose answers name no version, a forged one, or fail midway.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Provenance } from '@medplum/fhirtypes';
import { identifierToken } from '../../../shared/fhir';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { sendFhirJson, startHostileServer, type HostileServer } from '../../support/hostile-fhir';
import { NURSE, openWorkstation, recordHeartRates, registerPatient } from './helpers';

let server: FhirTestServer;
const hostile: HostileServer[] = [];
beforeEach(async () => {
  server = await startFhirServer();
});
afterEach(async () => {
  for (const h of hostile.splice(0)) await h.close();
  await server.close();
});

const bySeries = (seriesId: string): string =>
  `identifier=${identifierToken('urn:vitals-desk:observation', seriesId)}`;

/** GET on the server itself, e.g. a version read `Observation/x/_history/2`. */
async function read<T>(relative: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.baseUrl}/${relative}`, {
    headers: { accept: 'application/fhir+json' },
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function provenanceOf(observation: Observation): Promise<Provenance[]> {
  const all = await server.search<Provenance>('Provenance', '_count=1000');
  return all.filter((p) =>
    p.target?.some((t) => t.reference?.startsWith(`Observation/${observation.id}/_history/`)),
  );
}

describe('Provenance names the version it describes', () => {
  it('through a shift: two patients, a correction and a withdrawal, each Provenance reads back its own version', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const first = registerPatient(ws, 'PV-1');
    const second = registerPatient(ws, 'PV-2');
    const [a] = recordHeartRates(ws, first.id, 1);
    const [b] = recordHeartRates(ws, second.id, 1);
    expect((await ws.worker.runOnce()).sent).toBe(2);

    // The nurse corrects the first patient's value, then withdraws the second's.
    const v2 = ws.observations.amendObservation(a as string, { value: 97 }, 'Counted again', NURSE);
    ws.observations.markEnteredInError(b as string, 'Wrong patient', NURSE);
    expect((await ws.worker.runOnce()).sent).toBe(2);

    const [onServerA] = await server.search<Observation>('Observation', bySeries(v2.seriesId));
    const provenance = await provenanceOf(onServerA as Observation);
    expect(provenance.map((p) => p.activity?.coding?.[0]?.code).sort()).toEqual(['CREATE', 'UPDATE']);
    for (const p of provenance) {
      const target = p.target?.[0]?.reference as string;
      expect(target).toMatch(/^Observation\/[^/]+\/_history\/[^/]+$/);
      const version = await read<Observation>(target);
      expect(version.status).toBe(200);
      // The version read back is the one this Provenance describes: the created value, then the correction.
      if (p.activity?.coding?.[0]?.code === 'CREATE') {
        expect(version.body.valueQuantity?.value).toBe(60);
        expect(version.body.status).toBe('final');
      } else {
        expect(version.body.valueQuantity?.value).toBe(97);
        expect(version.body.status).toBe('amended');
        expect(version.body.meta?.versionId).toBe(onServerA?.meta?.versionId);
      }
    }
    const [onServerB] = await server.search<Observation>(
      'Observation',
      bySeries(ws.observations.getObservation(b as string).seriesId),
    );
    const withdrawn = (await provenanceOf(onServerB as Observation)).find(
      (p) => p.activity?.coding?.[0]?.code === 'NULLIFY',
    );
    expect((await read<Observation>(withdrawn?.target?.[0]?.reference as string)).body.status).toBe(
      'entered-in-error',
    );
    expect(ws.outbox.summary()).toMatchObject({ queueLength: 0, lastError: null });
    await ws.close();
  });

  it('a Provenance transaction that fails leaves the observation pending; the retry sends it once, with its Provenance', async () => {
    const ws = openWorkstation({ baseUrl: server.baseUrl });
    const patient = registerPatient(ws, 'PV-3');
    recordHeartRates(ws, patient.id, 3);
    // The observation transaction goes through; the Provenance transaction after it fails.
    server.failNext(1, '500', 1);
    const failed = await ws.worker.runOnce();
    expect(failed.ok).toBe(false);
    expect(failed.sent).toBe(0);
    expect(ws.outbox.summary().queueLength).toBe(3);

    const retried = await ws.worker.runOnce();
    expect(retried).toMatchObject({ ok: true, sent: 3 });
    const observations = await server.search<Observation>('Observation', '_count=100');
    expect(observations).toHaveLength(3);
    for (const o of observations) {
      const provenance = await provenanceOf(o);
      expect(provenance).toHaveLength(1);
      expect((await read<Observation>(provenance[0]?.target?.[0]?.reference as string)).status).toBe(200);
    }
    await ws.close();
  });
});

describe('a server whose answers cannot be trusted with a version', () => {
  /** Forwards to the real server, rewriting each transaction answer's Observation entries. */
  async function rewriting(
    rewrite: (entry: NonNullable<Bundle['entry']>[number]) => void,
  ): Promise<HostileServer> {
    const h = await startHostileServer(async (request, res) => {
      const isTransaction = request.method === 'POST' && /\/fhir\/R4\/?$/.test(request.url);
      if (!isTransaction) return 'forward';
      const answer = await fetch(server.baseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: request.body,
      });
      const bundle = (await answer.json()) as Bundle;
      for (const entry of bundle.entry ?? [])
        if (entry.response?.location?.startsWith('Observation/')) rewrite(entry);
      sendFhirJson(res, answer.status, bundle);
    }, server.baseUrl);
    hostile.push(h);
    return h;
  }

  it('markup posing as a version is not sent back: the Provenance names the resource without a version', async () => {
    const h = await rewriting((entry) => {
      if (entry.response) entry.response.location = `${entry.response.location}/_history/1"><script>`;
      delete entry.resource;
    });
    const ws = openWorkstation({ baseUrl: h.baseUrl });
    const patient = registerPatient(ws, 'PV-4');
    recordHeartRates(ws, patient.id, 1);
    expect((await ws.worker.runOnce()).sent).toBe(1);
    const [observation] = await server.search<Observation>('Observation', '_count=10');
    const provenance = await server.search<Provenance>('Provenance', '_count=10');
    expect(provenance.map((p) => p.target)).toEqual([[{ reference: `Observation/${observation?.id}` }]]);
    expect(h.seen.some((r) => r.body.includes('<script>'))).toBe(false);
    await ws.close();
  });

  it('an answer that names no resource gets a Provenance that names the observation by its identifier', async () => {
    const h = await rewriting((entry) => {
      entry.response = { status: entry.response?.status ?? '201' };
      delete entry.resource;
    });
    const ws = openWorkstation({ baseUrl: h.baseUrl });
    const patient = registerPatient(ws, 'PV-5');
    const [id] = recordHeartRates(ws, patient.id, 1);
    expect((await ws.worker.runOnce()).sent).toBe(1);
    const provenance = await server.search<Provenance>('Provenance', '_count=10');
    expect(provenance.map((p) => p.target)).toEqual([
      [
        {
          type: 'Observation',
          identifier: {
            system: 'urn:vitals-desk:observation',
            value: ws.observations.getObservation(id as string).seriesId,
          },
        },
      ],
    ]);
    await ws.close();
  });
});
