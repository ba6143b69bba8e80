import { describe, expect, it } from 'vitest';
import { newId } from '../../../main/db/ids';
import { JANE, openFixture } from './fixtures';
import { errorOf } from './helpers';

// The guards that keep a reading under the right patient, the right visit and the right origin.
// Each case performs the mistake and shows it is refused with nothing saved.

function shift() {
  const f = openFixture(new Date('2026-03-01T09:00:00Z'));
  const jane = f.patients.registerPatient(JANE);
  const oke = f.patients.registerPatient({ ...JANE, mrn: 'MRN-2002', family: 'Smith', given: 'Oke' });
  const janesVisit = f.encounters.startEncounter({ patientId: jane.id }, 'nurse-1');
  const okesVisit = f.encounters.startEncounter({ patientId: oke.id }, 'nurse-1');
  const count = (): unknown => f.db.prepare('SELECT count(*) FROM observations').pluck().get();
  return { ...f, jane, oke, janesVisit, okesVisit, count };
}

const heartRate = {
  kind: 'heartRate',
  value: 72,
  effectiveAt: '2026-03-01T09:00:00Z',
  method: 'manual',
} as const;
const cuff = {
  deviceId: 'cuff-1',
  transport: 'ble',
  driver: 'ble.blood-pressure',
  manufacturer: 'Acme',
  serial: 'SN1',
} as const;

describe('observation guards', () => {
  it('refuses a reading filed under another patient’s visit, and files it under the right one', () => {
    const f = shift();
    const error = errorOf(() =>
      f.observations.recordObservation(
        { ...heartRate, patientId: f.jane.id, encounterId: f.okesVisit.id },
        'nurse-1',
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe('This visit belongs to another patient.');
    expect(error.issues).toEqual([{ path: 'encounterId', message: 'Not this patient’s visit.' }]);
    expect(f.count()).toBe(0);
    // The same value for the visit's own patient is filed, with the visit.
    const filed = f.observations.recordObservation(
      { ...heartRate, patientId: f.oke.id, encounterId: f.okesVisit.id },
      'nurse-1',
    );
    expect(filed).toMatchObject({ patientId: f.oke.id, encounterId: f.okesVisit.id, value: 72 });
    expect(f.observations.latestVitals(f.jane.id)).toEqual([]);
    expect(f.count()).toBe(1);
    f.db.close();
  });

  it('refuses a reading for a patient or a visit that does not exist', () => {
    const f = shift();
    const noPatient = errorOf(() =>
      f.observations.recordObservation({ ...heartRate, patientId: newId() }, 'nurse-1'),
    );
    expect(noPatient.code).toBe('NOT_FOUND');
    expect(noPatient.message).toBe('This patient could not be found.');
    const noVisit = errorOf(() =>
      f.observations.recordObservation(
        { ...heartRate, patientId: f.jane.id, encounterId: newId() },
        'nurse-1',
      ),
    );
    expect(noVisit.code).toBe('NOT_FOUND');
    expect(noVisit.message).toBe('This visit could not be found.');
    expect(f.count()).toBe(0);
    f.db.close();
  });

  it('refuses a typed-in value carrying a device’s details, and a device value without them', () => {
    const f = shift();
    const typed = errorOf(() =>
      f.observations.recordObservation({ ...heartRate, patientId: f.jane.id, device: cuff }, 'nurse-1'),
    );
    expect(typed.code).toBe('VALIDATION');
    expect(typed.message).toBe('A measurement typed in by hand has no device.');
    const bare = errorOf(() =>
      f.observations.recordObservation({ ...heartRate, patientId: f.jane.id, method: 'device' }, 'nurse-1'),
    );
    expect(bare.message).toBe('A reading from a device must say which device it came from.');
    expect(f.count()).toBe(0);
    const fromCuff = f.observations.recordObservation(
      { ...heartRate, patientId: f.jane.id, method: 'device', device: cuff },
      'nurse-1',
    );
    expect(fromCuff).toMatchObject({ method: 'device', device: { deviceId: 'cuff-1', serial: 'SN1' } });
    f.db.close();
  });

  it('takes a measurement time up to 5 minutes ahead of the clock, and refuses one a millisecond later', () => {
    const f = shift();
    const now = f.clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const edge = f.observations.recordObservation(
      { ...heartRate, patientId: f.jane.id, effectiveAt: at(5 * 60_000) },
      'nurse-1',
    );
    expect(edge.effectiveAt).toBe(at(5 * 60_000));
    const late = errorOf(() =>
      f.observations.recordObservation(
        { ...heartRate, patientId: f.jane.id, effectiveAt: at(5 * 60_000 + 1) },
        'nurse-1',
      ),
    );
    expect(late.code).toBe('VALIDATION');
    expect(late.issues).toEqual([{ path: 'effectiveAt', message: 'In the future.' }]);
    expect(f.count()).toBe(1);
    f.db.close();
  });
});
