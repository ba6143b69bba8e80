import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/connection';
import { databaseDeviceStore } from '../../../main/db/repositories/devices';
import { JANE, openFixture } from './fixtures';
import { errorOf } from './helpers';

describe('patients', () => {
  it('registers and finds by MRN prefix, name part (case and accent-insensitive) and birth date', () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    f.patients.registerPatient({
      mrn: 'X-77',
      family: 'Smith',
      given: 'Oke',
      birthDate: '1990-01-01',
      sex: 'male',
    });
    expect(f.patients.findPatients({ query: 'mrn-10' }).map((p) => p.id)).toEqual([jane.id]);
    expect(f.patients.findPatients({ query: 'soreide' }).map((p) => p.id)).toEqual([jane.id]);
    expect(f.patients.findPatients({ query: 'ADAEZE' }).map((p) => p.id)).toEqual([jane.id]);
    expect(f.patients.findPatients({ query: '1958-04-17' }).map((p) => p.id)).toEqual([jane.id]);
    expect(f.patients.findPatients({ query: 'ok' })).toHaveLength(2);
    // LIKE wildcards in the query are literal.
    expect(f.patients.findPatients({ query: '%' })).toHaveLength(0);
    expect(f.patients.findPatients({ query: 'nobody' })).toHaveLength(0);
    f.db.close();
  });

  it('refuses a second patient with the same MRN, without naming it', () => {
    const f = openFixture();
    f.patients.registerPatient(JANE);
    const error = errorOf(() => f.patients.registerPatient({ ...JANE, mrn: 'mrn-1001', given: 'Other' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).not.toContain('1001');
    expect(errorOf(() => f.patients.registerPatient({ ...JANE, mrn: 'bad mrn!' })).code).toBe('VALIDATION');
    expect(
      errorOf(() => f.patients.registerPatient({ ...JANE, mrn: 'M2', birthDate: '2023-02-30' })).code,
    ).toBe('VALIDATION');
    f.db.close();
  });

  it('lists recent patients by their latest visit', () => {
    const f = openFixture();
    const a = f.patients.registerPatient(JANE);
    f.clock.advance(1000);
    const b = f.patients.registerPatient({ ...JANE, mrn: 'MRN-2' });
    expect(f.patients.recentPatients().map((p) => p.id)).toEqual([b.id, a.id]);
    f.clock.advance(1000);
    f.encounters.startEncounter({ patientId: a.id }, 'nurse-1');
    expect(f.patients.recentPatients().map((p) => p.id)).toEqual([a.id, b.id]);
    f.db.close();
  });
});

describe('encounters', () => {
  it('starts one visit per patient, finishes it, and knows the current one', () => {
    const f = openFixture();
    const p = f.patients.registerPatient(JANE);
    expect(f.encounters.currentEncounter(p.id)).toBeNull();
    const visit = f.encounters.startEncounter(
      { patientId: p.id, externalVisitId: 'tv-9', joinUrl: 'https://visit.example/9' },
      'nurse-1',
    );
    expect(f.encounters.currentEncounter(p.id)?.id).toBe(visit.id);
    expect(errorOf(() => f.encounters.startEncounter({ patientId: p.id }, 'nurse-1')).code).toBe('CONFLICT');
    f.clock.advance(60_000);
    expect(visit.finishedBy).toBeNull();
    const done = f.encounters.finishEncounter(visit.id, 'nurse-2');
    expect(done).toMatchObject({
      status: 'finished',
      end: '2026-03-01T09:01:00.000Z',
      createdBy: 'nurse-1',
      finishedBy: 'nurse-2',
    });
    expect(f.encounters.currentEncounter(p.id)).toBeNull();
    expect(errorOf(() => f.encounters.finishEncounter(visit.id, 'nurse-1')).code).toBe('CONFLICT');
    expect(f.encounters.getEncounter(visit.id).finishedBy).toBe('nurse-2');
    f.db.close();
  });
});

describe('observations', () => {
  function withPatient() {
    const f = openFixture();
    const patient = f.patients.registerPatient(JANE);
    const visit = f.encounters.startEncounter({ patientId: patient.id }, 'nurse-1');
    return { ...f, patient, visit };
  }

  it('records a manual value, a device BP panel with provenance and a coded consciousness level', () => {
    const f = withPatient();
    const hr = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        encounterId: f.visit.id,
        kind: 'heartRate',
        value: 72,
        effectiveAt: '2026-03-01T09:00:00Z',
        method: 'manual',
      },
      'nurse-1',
    );
    expect(hr).toMatchObject({
      code: '8867-4',
      unit: '/min',
      value: 72,
      status: 'final',
      seriesId: hr.id,
      versionOf: null,
    });
    const bp = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 128 },
          { kind: 'diastolic', value: 82 },
        ],
        effectiveAt: '2026-03-01T09:00:30+01:00',
        method: 'device',
        device: {
          deviceId: 'cuff-1',
          transport: 'ble',
          driver: 'ble.blood-pressure',
          manufacturer: 'Acme',
          serial: 'SN1',
          firmware: '1.2',
        },
      },
      'nurse-1',
    );
    expect(bp.code).toBe('85354-9');
    expect(bp.effectiveAt).toBe('2026-03-01T08:00:30.000Z');
    expect(bp.components.map((c) => [c.code, c.value, c.unit])).toEqual([
      ['8480-6', 128, 'mm[Hg]'],
      ['8462-4', 82, 'mm[Hg]'],
    ]);
    expect(bp.device).toMatchObject({
      deviceId: 'cuff-1',
      manufacturer: 'Acme',
      serial: 'SN1',
      firmware: '1.2',
    });
    const avpu = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'consciousness',
        valueCode: 'A',
        effectiveAt: '2026-03-01T09:00:00Z',
        method: 'manual',
      },
      'nurse-1',
    );
    expect(avpu).toMatchObject({ code: '80288-4', valueCode: 'A', value: null });
    f.db.close();
  });

  it('refuses implausible, mis-shaped and mis-attributed values with VALIDATION and saves nothing', () => {
    const f = withPatient();
    const base = { patientId: f.patient.id, effectiveAt: '2026-03-01T09:00:00Z', method: 'manual' } as const;
    const bad = [
      { ...base, kind: 'heartRate', value: 400 },
      { ...base, kind: 'heartRate' },
      { ...base, kind: 'spo2', value: 101 },
      {
        ...base,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 80 },
          { kind: 'diastolic', value: 90 },
        ],
      },
      { ...base, kind: 'bloodPressure', components: [{ kind: 'systolic', value: 120 }] },
      { ...base, kind: 'heartRate', value: 70, components: [{ kind: 'systolic', value: 120 }] },
      { ...base, kind: 'consciousness', value: 1 },
      { ...base, kind: 'heartRate', value: 70, method: 'device' },
      { ...base, kind: 'heartRate', value: 70, effectiveAt: '2026-03-02T09:00:00Z' },
    ] as const;
    for (const input of bad)
      expect(errorOf(() => f.observations.recordObservation(input as never, 'n')).code).toBe('VALIDATION');
    expect(f.db.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(0);
    f.db.close();
  });

  it('amends and enters-in-error as new versions, keeping the full history; the DB refuses UPDATE and DELETE', () => {
    const f = withPatient();
    const first = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'bodyTemperature',
        value: 38.9,
        bodySite: 'oral',
        effectiveAt: '2026-03-01T09:00:00Z',
        method: 'device',
        device: { deviceId: 't1', transport: 'ble', driver: 'ble.thermometer' },
      },
      'nurse-1',
    );
    f.clock.advance(1000);
    const amended = f.observations.amendObservation(
      first.id,
      { value: 37.9, bodySite: 'oral' },
      'Typed 38.9 for 37.9',
      'nurse-2',
    );
    expect(amended).toMatchObject({
      seriesId: first.id,
      versionOf: first.id,
      status: 'amended',
      value: 37.9,
      method: 'manual',
      device: null,
      recordedBy: 'nurse-2',
    });
    expect(f.observations.latestVitals(f.patient.id).map((o) => o.value)).toEqual([37.9]);
    // Correcting an old version again is a conflict: someone already did.
    expect(errorOf(() => f.observations.amendObservation(first.id, { value: 37 }, 'again', 'n')).code).toBe(
      'CONFLICT',
    );
    f.clock.advance(1000);
    const withdrawn = f.observations.markEnteredInError(amended.id, 'Wrong patient', 'nurse-2');
    expect(withdrawn).toMatchObject({ status: 'entered-in-error', versionOf: amended.id, value: 37.9 });
    expect(f.observations.latestVitals(f.patient.id)).toEqual([]);
    expect(f.observations.vitalsHistory(f.patient.id, '8310-5')).toEqual([]);
    const history = f.observations.observationHistory(first.id);
    expect(history.map((o) => [o.status, o.value])).toEqual([
      ['final', 38.9],
      ['amended', 37.9],
      ['entered-in-error', 37.9],
    ]);
    expect(history[0]!.device?.deviceId).toBe('t1');
    expect(
      errorOf(() => f.observations.amendObservation(withdrawn.id, { value: 37 }, 'undo', 'n')).code,
    ).toBe('CONFLICT');
    expect(() => f.db.prepare('UPDATE observations SET value_quantity = 1').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM observations').run()).toThrow(/append-only/);
    expect(f.db.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(3);
    f.db.close();
  });

  it('keeps what the device said with its reading, refuses notes on a typed-in value, and a typed correction drops them', () => {
    const f = withPatient();
    const device = { deviceId: 'cuff-1', transport: 'ble' as const, driver: 'ble.blood-pressure' };
    const notes = ['Irregular pulse detected', 'Body movement during measurement'];
    const bp = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 142 },
          { kind: 'diastolic', value: 91 },
        ],
        effectiveAt: '2026-03-01T09:00:00Z',
        method: 'device',
        device,
        deviceNotes: notes,
      },
      'nurse-1',
    );
    expect(bp.deviceNotes).toEqual(notes);
    expect(f.observations.getObservation(bp.id).deviceNotes).toEqual(notes);
    expect(() =>
      f.observations.recordObservation(
        {
          patientId: f.patient.id,
          kind: 'heartRate',
          value: 70,
          effectiveAt: '2026-03-01T09:00:00Z',
          method: 'manual',
          deviceNotes: ['Irregular pulse detected'],
        },
        'nurse-1',
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const withdrawn = f.observations.markEnteredInError(bp.id, 'Cuff on the wrong arm size', 'nurse-1');
    expect(withdrawn.deviceNotes).toEqual(notes);
    const typed = f.observations.recordObservation(
      {
        patientId: f.patient.id,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 140 },
          { kind: 'diastolic', value: 90 },
        ],
        effectiveAt: '2026-03-01T09:05:00Z',
        method: 'device',
        device,
        deviceNotes: ['Cuff fit too loose'],
      },
      'nurse-1',
    );
    const corrected = f.observations.amendObservation(
      typed.id,
      {
        components: [
          { kind: 'systolic', value: 138 },
          { kind: 'diastolic', value: 88 },
        ],
      },
      'Measured again by hand',
      'nurse-1',
    );
    expect(corrected).toMatchObject({ method: 'manual', device: null, deviceNotes: [] });
    // The device's version, with its note, stays in the history.
    expect(f.observations.observationHistory(typed.seriesId).map((o) => o.deviceNotes)).toEqual([
      ['Cuff fit too loose'],
      [],
    ]);
  });

  it('latestVitals gives the newest current value per kind; vitalsHistory a time range in order', () => {
    const f = withPatient();
    const rec = (kind: 'heartRate' | 'spo2', value: number, at: string) =>
      f.observations.recordObservation(
        { patientId: f.patient.id, kind, value, effectiveAt: at, method: 'manual' },
        'n',
      );
    rec('heartRate', 70, '2026-02-01T10:00:00Z');
    const newest = rec('heartRate', 90, '2026-02-20T10:00:00Z');
    rec('heartRate', 80, '2026-02-10T10:00:00Z'); // entered later, measured earlier
    rec('spo2', 97, '2026-02-05T10:00:00Z');
    const latest = f.observations.latestVitals(f.patient.id);
    expect(latest.map((o) => [o.kind, o.value])).toEqual([
      ['heartRate', 90],
      ['spo2', 97],
    ]);
    f.observations.markEnteredInError(newest.id, 'Wrong patient', 'n');
    expect(f.observations.latestVitals(f.patient.id).find((o) => o.kind === 'heartRate')?.value).toBe(80);
    expect(f.observations.vitalsHistory(f.patient.id, '8867-4').map((o) => o.value)).toEqual([70, 80]);
    expect(
      f.observations
        .vitalsHistory(f.patient.id, '8867-4', { from: '2026-02-05T00:00:00Z', to: '2026-02-28T00:00:00Z' })
        .map((o) => o.value),
    ).toEqual([80]);
    f.db.close();
  });
});

describe('allowed devices', () => {
  it('saves, updates, lists and removes pairings, and keeps them across a reopen', () => {
    const f = openFixture();
    const store = databaseDeviceStore(f.db, f.clock);
    store.save({
      id: 'cuff',
      name: 'BP cuff',
      transport: 'ble',
      driver: 'ble.blood-pressure',
      address: 'aa:bb',
    });
    store.save({
      id: 'scale',
      name: 'Scale',
      transport: 'serial',
      driver: 'serial.and-scale',
      usbVendorId: '0403',
      usbProductId: '6001',
    });
    store.save({ id: 'cuff', name: 'Arm cuff', transport: 'ble', driver: 'ble.blood-pressure' });
    expect(store.list()).toEqual([
      { id: 'cuff', name: 'Arm cuff', transport: 'ble', driver: 'ble.blood-pressure' },
      {
        id: 'scale',
        name: 'Scale',
        transport: 'serial',
        driver: 'serial.and-scale',
        usbVendorId: '0403',
        usbProductId: '6001',
      },
    ]);
    store.remove('cuff');
    f.db.close();
    const again = openDatabase({ file: f.file, key: f.key });
    expect(
      databaseDeviceStore(again)
        .list()
        .map((d) => d.id),
    ).toEqual(['scale']);
    again.close();
  });
});
