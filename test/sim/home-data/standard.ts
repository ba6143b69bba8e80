/**
 * Sample standard-format home data: FHIR R4 vital-sign Observations (as a Bundle or as NDJSON) and Open
 * mHealth data points, as a monitoring platform or a patient app would send them.
 */
import { seeded } from './random';

export interface StandardOptions {
  /** Days of twice-daily readings. */
  days?: number;
  seed?: number;
  start?: Date;
}

type Json = Record<string, unknown>;

const loinc = (code: string, display: string): Json => ({
  coding: [{ system: 'http://loinc.org', code, display }],
});
const qty = (value: number, code: string): Json => ({
  value,
  unit: code,
  system: 'http://unitsofmeasure.org',
  code,
});
const vitalCategory = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
];

/** Blood pressure, heart rate, weight (in lb) and glucose (in mmol/L), morning and evening. */
export function fhirObservations(options: StandardOptions = {}): Json[] {
  const r = seeded(options.seed ?? 11);
  const start = (options.start ?? new Date(Date.UTC(2026, 9, 1, 7, 30))).getTime();
  const out: Json[] = [];
  let n = 0;
  const base = (at: string): Json => ({
    resourceType: 'Observation',
    status: 'final',
    category: vitalCategory,
    subject: { reference: 'Patient/home-1' },
    effectiveDateTime: at,
    device: { display: 'Omron HEM-7155T' },
    meta: { source: 'HomeCare Monitor' },
  });
  for (let d = 0; d < (options.days ?? 7); d++) {
    for (const hour of [0, 12]) {
      const at = new Date(start + d * 86_400_000 + hour * 3_600_000).toISOString().replace('.000Z', 'Z');
      const id = (): Json => ({
        id: `obs-${++n}`,
        identifier: [{ system: 'urn:homecare:obs', value: `hc-${n}` }],
      });
      out.push({
        ...base(at),
        ...id(),
        code: loinc('85354-9', 'Blood pressure panel'),
        component: [
          { code: loinc('8480-6', 'Systolic'), valueQuantity: qty(r.int(110, 150), 'mm[Hg]') },
          { code: loinc('8462-4', 'Diastolic'), valueQuantity: qty(r.int(65, 95), 'mm[Hg]') },
        ],
      });
      out.push({
        ...base(at),
        ...id(),
        code: loinc('8867-4', 'Heart rate'),
        valueQuantity: qty(r.int(58, 95), '/min'),
      });
      if (hour === 0) {
        out.push({
          ...base(at),
          ...id(),
          code: loinc('29463-7', 'Body weight'),
          valueQuantity: qty(Number((170 + r.next() * 4).toFixed(1)), '[lb_av]'),
        });
        out.push({
          ...base(at),
          ...id(),
          code: loinc('2339-0', 'Glucose'),
          valueQuantity: qty(Number((5 + r.next() * 2).toFixed(1)), 'mmol/L'),
        });
      }
    }
  }
  return out;
}

export function fhirBundleJson(options: StandardOptions = {}): string {
  const entry = fhirObservations(options).map((resource, i) => ({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resource,
  }));
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry }, null, 2);
}

export function fhirNdjson(options: StandardOptions = {}): string {
  return (
    fhirObservations(options)
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n'
  );
}

/** Open mHealth data points of the five schemas the app reads. */
export function openMHealthPoints(options: StandardOptions = {}): Json[] {
  const r = seeded(options.seed ?? 13);
  const start = (options.start ?? new Date(Date.UTC(2026, 9, 1, 8, 0))).getTime();
  const out: Json[] = [];
  let n = 0;
  const point = (name: string, at: string, body: Json): Json => ({
    header: {
      id: `3b4c5d6e-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      creation_date_time: at,
      schema_id: { namespace: 'omh', name, version: '1.0' },
      acquisition_provenance: { source_name: 'Shimmer', modality: 'sensed' },
    },
    body: { ...body, effective_time_frame: { date_time: at } },
  });
  for (let d = 0; d < (options.days ?? 7); d++) {
    const at = new Date(start + d * 86_400_000).toISOString();
    out.push(
      point('blood-pressure', at, {
        systolic_blood_pressure: { value: r.int(110, 150), unit: 'mmHg' },
        diastolic_blood_pressure: { value: r.int(65, 95), unit: 'mmHg' },
      }),
    );
    out.push(point('heart-rate', at, { heart_rate: { value: r.int(58, 95), unit: 'beats/min' } }));
    out.push(
      point('body-weight', at, { body_weight: { value: Number((78 + r.next()).toFixed(1)), unit: 'kg' } }),
    );
    out.push(point('blood-glucose', at, { blood_glucose: { value: r.int(85, 160), unit: 'mg/dL' } }));
    out.push(point('oxygen-saturation', at, { oxygen_saturation: { value: r.int(93, 99), unit: '%' } }));
  }
  return out;
}

export function openMHealthJson(options: StandardOptions = {}): string {
  return JSON.stringify(openMHealthPoints(options), null, 2);
}
