import { afterAll, describe, expect, it } from 'vitest';
import { readFhirBundle, readFhirNdjson } from '../../../main/import/formats/fhir';
import { readOpenMHealth } from '../../../main/import/formats/open-mhealth';
import { detectHomeImportFormat } from '../../../main/import/detect';
import {
  fhirBundleJson,
  fhirNdjson,
  fhirObservations,
  openMHealthJson,
  openMHealthPoints,
} from '../../sim/home-data/standard';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('FHIR Bundle and NDJSON of Observations', () => {
  it('reads the blood-pressure panel, heart rate, weight in lb and glucose in mmol/L into canonical units', async () => {
    const file = tmp.file('bundle.json', fhirBundleJson({ days: 1 }));
    const { records, problems } = await collect(readFhirBundle, file);
    expect(problems).toEqual([]);
    const source = fhirObservations({ days: 1 });
    expect(records).toHaveLength(source.length);
    const bp = records[0];
    const panel = source[0] as { component: { valueQuantity: { value: number } }[] };
    expect(bp).toMatchObject({
      sourceRecordId: 'fhir:urn:homecare:obs|hc-1',
      measure: 'bloodPressure',
      effectiveStart: '2026-10-01T07:30:00.000Z',
      value: panel.component[0]?.valueQuantity.value,
      diastolic: panel.component[1]?.valueQuantity.value,
      sourceName: 'HomeCare Monitor',
      device: 'Omron HEM-7155T',
    });
    const weight = records.find((r) => r.measure === 'bodyWeight');
    const lb = (
      source.find((o) => (o.code as { coding: { code: string }[] }).coding[0]?.code === '29463-7') as {
        valueQuantity: { value: number };
      }
    ).valueQuantity.value;
    expect(weight?.value).toBeCloseTo(lb * 0.45359237, 3);
    const glucose = records.find((r) => r.measure === 'glucose');
    expect(glucose?.value).toBeGreaterThan(85);
    expect(glucose?.value).toBeLessThan(130);
  });

  it('gives NDJSON lines the same identities as the Bundle entries that carry identifiers', async () => {
    const bundle = await collect(readFhirBundle, tmp.file('b.json', fhirBundleJson({ days: 2 })));
    const ndjson = await collect(readFhirNdjson, tmp.file('o.ndjson', fhirNdjson({ days: 2 })));
    expect(ndjson.problems).toEqual([]);
    expect(ndjson.records.map((r) => r.sourceRecordId)).toEqual(bundle.records.map((r) => r.sourceRecordId));
  });

  it('falls back to the fullUrl and then the id when there is no identifier', async () => {
    const obs = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      effectiveDateTime: '2026-10-01T08:00:00+02:00',
      valueQuantity: { value: 70, code: '/min' },
    };
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://fhir.example/Observation/9', resource: obs },
        { resource: { ...obs, id: 'abc' } },
      ],
    });
    const { records } = await collect(readFhirBundle, tmp.file('ids.json', bundle));
    expect(records.map((r) => [r.sourceRecordId, r.effectiveStart])).toEqual([
      ['fhir:https://fhir.example/Observation/9', '2026-10-01T06:00:00.000Z'],
      ['fhir:Observation/abc', '2026-10-01T06:00:00.000Z'],
    ]);
  });

  it('reports each bad Observation with its line and keeps the good ones', async () => {
    const good = fhirNdjson({ days: 1 }).trim().split('\n');
    const unknownUnit = good[1]!.replace('"code":"/min"', '"code":"/s"');
    const lines = [
      good[0],
      '{"resourceType": "Observation", "status": ',
      unknownUnit,
      JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        effectiveDateTime: '2026-10-01',
        valueQuantity: { value: 70, code: '/min' },
      }),
      JSON.stringify({ resourceType: 'Observation', status: 'entered-in-error', code: {} }),
      JSON.stringify({ resourceType: 'Observation', code: {} }),
    ];
    const { records, problems } = await collect(readFhirNdjson, tmp.file('bad.ndjson', lines.join('\n')));
    expect(records).toHaveLength(1);
    expect(problems.map((p) => [p.at, p.severity])).toEqual([
      [2, 'error'],
      [3, 'error'],
      [4, 'error'],
      [5, 'warning'],
      [6, 'error'],
    ]);
    expect(problems[0]?.message).toMatch(/^Line 2: not valid JSON/);
    expect(problems[1]?.message).toContain('"/s"');
    expect(problems[2]?.message).toContain('without a time of day');
    expect(problems[4]?.message).toContain('not valid FHIR (status');
  });

  it('refuses a JSON that is not a Bundle, and malformed JSON with its line', async () => {
    expect(
      (await collect(readFhirBundle, tmp.file('p.json', '{"resourceType":"Patient"}'))).problems[0]?.message,
    ).toBe('This JSON is not a FHIR Bundle.');
    const broken = await collect(
      readFhirBundle,
      tmp.file('broken.json', '{\n "resourceType": "Bundle",\n "entry": [\n  {,}\n ]\n}'),
    );
    expect(broken.problems[0]).toMatchObject({ severity: 'error', at: 4 });
  });
});

describe('Open mHealth data points', () => {
  it('reads the five schemas with header.id as identity', async () => {
    const { records, problems } = await collect(
      readOpenMHealth,
      tmp.file('omh.json', openMHealthJson({ days: 2 })),
    );
    expect(problems).toEqual([]);
    const points = openMHealthPoints({ days: 2 });
    expect(records.map((r) => r.sourceRecordId)).toEqual(
      points.map((p) => `omh:${(p.header as { id: string }).id}`),
    );
    expect(records.map((r) => r.measure).slice(0, 5)).toEqual([
      'bloodPressure',
      'heartRate',
      'bodyWeight',
      'glucose',
      'spo2',
    ]);
    expect(records[0]?.diastolic).toBe(
      (points[0]?.body as Record<string, { value: number }>).diastolic_blood_pressure?.value,
    );
    expect(records[0]?.sourceName).toBe('Shimmer');
  });

  it('reads one data point per line, and reports an unknown schema and an unknown unit', async () => {
    const [bp, hr] = openMHealthPoints({ days: 1 });
    const other = {
      ...hr,
      header: {
        ...(hr?.header as object),
        id: 'x1',
        schema_id: { namespace: 'omh', name: 'step-count', version: '2.0' },
      },
    };
    const badUnit = JSON.parse(JSON.stringify(hr).replace('beats/min', 'Hz')) as unknown;
    const { records, problems } = await collect(
      readOpenMHealth,
      tmp.file('omh.ndjson', [bp, other, badUnit].map((p) => JSON.stringify(p)).join('\n')),
    );
    expect(records.map((r) => r.measure)).toEqual(['bloodPressure']);
    expect(problems.map((p) => p.message)).toEqual([
      'Data point 2: the schema omh:step-count is not one this app imports.',
      'Data point 3: the unit "Hz" is not one this app knows for this measure.',
    ]);
  });
});

describe('detecting standard formats by content', () => {
  it('tells a Bundle, NDJSON and Open mHealth apart', async () => {
    expect(await detectHomeImportFormat(tmp.file('1.txt', fhirBundleJson({ days: 1 })))).toBe('fhir-bundle');
    expect(await detectHomeImportFormat(tmp.file('2.txt', fhirNdjson({ days: 1 })))).toBe('fhir-ndjson');
    expect(await detectHomeImportFormat(tmp.file('3.txt', openMHealthJson({ days: 1 })))).toBe(
      'open-mhealth',
    );
    expect(await detectHomeImportFormat(tmp.file('4.txt', '{"name": "x"}'))).toEqual({
      unknown: 'a JSON file that is neither FHIR nor Open mHealth',
    });
  });
});
