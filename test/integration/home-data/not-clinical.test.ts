/**
 * Patient-generated values never count as clinic measurements: after a home export full of alarming
 * values (newer than anything measured at the desk), the patient's latest clinic vitals, NEWS2 and the
 * review's guideline flags are exactly what the clinic's own values give, and the clinic's record of
 * observations is untouched. The home values are there, in their own place, for review to draw.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import type { HomeImportEvent, HomeImportInput } from '../../../main/import/formats/events';
import { importHomeFile } from '../../../main/import/service';
import { computeNews2 } from '../../../shared/clinical/news2';
import type { HomeRecord } from '../../../shared/home-data/record';
import { latestByKind, news2InputOf, type Observation } from '../../../shared/records';
import { reviewFlags } from '../../../shared/visit/review-flags';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';
import { tempDir } from '../db/helpers';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('home data and clinical rules', () => {
  it('leaves NEWS2, the latest vitals and the guideline flags to the clinic’s own values', async () => {
    ({ core } = await createTestCore());
    const nurse = await signInAs(core, 'nurse', 'desk');
    const patient = await call<{ id: string }>(core, 'desk', 'patients.register', {
      mrn: 'NC-1',
      family: 'Moreau',
      given: 'Élise',
      birthDate: '1950-05-05',
      sex: 'female',
    });
    const record = (kind: string, value: number) =>
      call<Observation>(core!, 'desk', 'observations.record', {
        patientId: patient.id,
        kind,
        value,
        effectiveAt: minutesAgo(60),
        method: 'manual',
      });
    await record('heartRate', 72);
    await record('respiratoryRate', 16);
    await record('spo2', 97);
    await record('bodyTemperature', 36.8);
    await record('glucose', 105);
    const judge = async () => {
      const latest = latestByKind(
        await call<Observation[]>(core!, 'desk', 'observations.latest', { patientId: patient.id }),
      );
      return {
        latest: [...latest.values()].map((o) => [o.kind, o.id, o.value]),
        news2: computeNews2(news2InputOf(latest)),
        flags: reviewFlags(latest, 'acc-aha-2017'),
      };
    };
    const before = await judge();
    expect(before.news2.scores).toMatchObject({ respiratoryRate: 0, spo2: 0, pulse: 0, temperature: 0 });
    const clinicRows = core.db!.prepare('SELECT count(*) FROM observations').pluck().get();

    // A home export from the last ten minutes: every value would score 3 or raise a flag if it counted.
    const alarming: HomeRecord[] = [
      { sourceRecordId: 'w-1', measure: 'heartRate', effectiveStart: minutesAgo(10), value: 182 },
      { sourceRecordId: 'w-2', measure: 'respiratoryRate', effectiveStart: minutesAgo(10), value: 32 },
      { sourceRecordId: 'w-3', measure: 'spo2', effectiveStart: minutesAgo(10), value: 81 },
      { sourceRecordId: 'w-4', measure: 'bodyTemperature', effectiveStart: minutesAgo(10), value: 39.9 },
      {
        sourceRecordId: 'w-5',
        measure: 'bloodPressure',
        effectiveStart: minutesAgo(10),
        value: 212,
        diastolic: 126,
      },
      {
        sourceRecordId: 'w-6',
        measure: 'glucose',
        effectiveStart: minutesAgo(10),
        value: 400,
        beyondRange: 'above',
      },
    ].map((r) => ({ ...r, sourceName: 'Home watch', device: 'Watch 9' }) as HomeRecord);
    const dir = tempDir('vd-home-nc-');
    const file = path.join(dir, 'export.ndjson');
    writeFileSync(file, '{"resourceType":"Observation"}\n');
    const reader = async function* (_input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
      await Promise.resolve();
      for (const record of alarming) yield { type: 'record', record };
    };
    const result = await importHomeFile({
      db: core.db!,
      patientId: patient.id,
      path: file,
      format: 'fhir-ndjson',
      importedBy: nurse.userId,
      reader,
    });
    expect(result.added).toBe(6);

    expect(await judge()).toEqual(before);
    expect(core.db!.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(clinicRows);
    const home = await call<{ observations: { measure: string; value: number }[] }>(
      core,
      'desk',
      'homeData.forPatient',
      {
        patientId: patient.id,
        from: minutesAgo(120),
        to: minutesAgo(-5),
      },
    );
    expect(home.observations.map((o) => [o.measure, o.value])).toEqual(
      expect.arrayContaining([
        ['heartRate', 182],
        ['spo2', 81],
      ]),
    );
  });
});
