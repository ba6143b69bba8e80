/** The sync transaction against a real FHIR server (Medplum's router over HTTP on loopback). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient, Provenance } from '@medplum/fhirtypes';
import { buildProvenanceBundle, buildSyncBundle, identifierToken, type SyncUnit } from '../../../shared/fhir';
import { startFhirServer, type FhirTestServer } from '../../support/fhir-server';
import { encounterFixture, observationFixture, patientFixture } from '../../support/fhir-fixtures';

let server: FhirTestServer;
beforeAll(async () => {
  server = await startFhirServer();
});
afterAll(async () => {
  await server.close();
});

async function post(bundle: Bundle): Promise<Bundle> {
  const response = await fetch(server.baseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(bundle),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Bundle;
}

const series = (id: string): string => `identifier=${identifierToken('urn:vitals-desk:observation', id)}`;

describe('sync transaction bundle on a FHIR server', () => {
  const units: SyncUnit[] = [
    { observation: observationFixture(), patient: patientFixture, encounter: encounterFixture },
    {
      observation: observationFixture({
        seriesId: 'obs-bp',
        values: [
          { kind: 'systolic', value: 131 },
          { kind: 'diastolic', value: 84 },
        ],
      }),
      patient: patientFixture,
      encounter: encounterFixture,
    },
  ];

  it('creates everything once, and a replay of the same transaction creates nothing more', async () => {
    const { bundle, observations } = buildSyncBundle(units);
    const first = await post(bundle);
    expect(first.type).toBe('transaction-response');
    for (const o of observations) expect(first.entry?.[o.index]?.response?.status).toMatch(/^201/);
    const again = await post(bundle);
    for (const o of observations) expect(again.entry?.[o.index]?.response?.status).toMatch(/^200/);
    expect(again.entry?.[observations[0]!.index]?.response?.location).toBe(
      first.entry?.[observations[0]!.index]?.response?.location,
    );

    expect(await server.search<Observation>('Observation', series('obs-1'))).toHaveLength(1);
    expect(await server.search<Observation>('Observation', series('obs-bp'))).toHaveLength(1);
    const patients = await server.search<Patient>(
      'Patient',
      `identifier=${identifierToken('urn:vitals-desk:mrn', 'MRN-000123')}`,
    );
    expect(patients).toHaveLength(1);
    const [obs] = await server.search<Observation>('Observation', series('obs-1'));
    expect(obs?.subject?.reference).toBe(`Patient/${patients[0]?.id}`);
    // The Provenance follows with the version the server stored, and a replay of it changes nothing.
    const provenance = buildProvenanceBundle([
      {
        observation: units[0]!.observation,
        target: `Observation/${obs?.id}/_history/${obs?.meta?.versionId}`,
      },
    ]);
    await post(provenance);
    await post(provenance);
    expect(await server.search<Provenance>('Provenance', `target=Observation/${obs?.id}`)).toHaveLength(0);
    const stored = await server.search<Provenance>('Provenance', '_count=100');
    expect(stored.map((p) => p.target?.[0]?.reference)).toEqual([
      `Observation/${obs?.id}/_history/${obs?.meta?.versionId}`,
    ]);
  });

  it('an amendment updates the same Observation as a new version', async () => {
    const [before] = await server.search<Observation>('Observation', series('obs-1'));
    const amended: SyncUnit = {
      ...units[0]!,
      observation: observationFixture({
        version: 2,
        status: 'amended',
        values: [{ kind: 'heartRate', value: 76 }],
        reason: 'Read from the wrong device',
      }),
    };
    const { bundle } = buildSyncBundle([amended]);
    await post(bundle);
    await post(bundle); // a retry of the amendment
    const after = await server.search<Observation>('Observation', series('obs-1'));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before?.id, status: 'amended', valueQuantity: { value: 76 } });
    expect(after[0]?.meta?.versionId).not.toBe(before?.meta?.versionId);
    await post(
      buildProvenanceBundle([
        {
          observation: amended.observation,
          target: `Observation/${before?.id}/_history/${after[0]?.meta?.versionId}`,
        },
      ]),
    );
    const provenance = await server.search<Provenance>('Provenance', '_count=100');
    expect(provenance.map((p) => [p.activity?.coding?.[0]?.code, p.target?.[0]?.reference]).sort()).toEqual([
      ['CREATE', `Observation/${before?.id}/_history/${before?.meta?.versionId}`],
      ['UPDATE', `Observation/${before?.id}/_history/${after[0]?.meta?.versionId}`],
    ]);
  });
});
