/**
 * Filing a device reading on a real encrypted database: everything a reading measured is filed once,
 * with the device's full provenance; the same reading accepted again (a double click, a retry after a
 * lost answer) adds nothing; a reading that cannot be filed whole files nothing; and correcting a
 * device value by hand leaves the device in the history only. People and values are invented.
 */
import { describe, expect, it } from 'vitest';
import type { NewObservation } from '../../../shared/records';
import { JANE, openFixture } from './fixtures';
import { errorOf } from './helpers';

const oximeter = {
  deviceId: 'oxi-7',
  transport: 'serial',
  driver: 'serial.nonin-8',
  manufacturer: 'Nonin Medical',
  model: '9560',
  serial: 'SN-0042',
  firmware: '2.1',
  clockOffsetMs: 90_000,
} as const;

function desk() {
  const f = openFixture(new Date('2026-03-01T09:00:00Z'));
  const jane = f.patients.registerPatient(JANE);
  const count = (): unknown => f.db.prepare('SELECT count(*) FROM observations').pluck().get();
  const reading = (heartRate: number, spo2: number): NewObservation[] => [
    {
      patientId: jane.id,
      kind: 'heartRate',
      value: heartRate,
      effectiveAt: '2026-03-01T08:59:00Z',
      method: 'device',
      device: oximeter,
      deviceNotes: ['marginal perfusion'],
    },
    {
      patientId: jane.id,
      kind: 'spo2',
      value: spo2,
      effectiveAt: '2026-03-01T08:59:00Z',
      method: 'device',
      device: oximeter,
    },
  ];
  return { ...f, jane, count, reading };
}

describe('filing a device reading', () => {
  it('files each value once with the device’s provenance; accepting it again returns the same values', () => {
    const f = desk();
    const first = f.observations.recordDeviceReading('reading-1', f.reading(72, 96), 'nurse-1');
    expect(first.alreadyFiled).toBe(false);
    expect(first.observations.map((o) => [o.kind, o.value, o.method])).toEqual([
      ['heartRate', 72, 'device'],
      ['spo2', 96, 'device'],
    ]);
    expect(first.observations[0]).toMatchObject({
      device: {
        deviceId: 'oxi-7',
        transport: 'serial',
        driver: 'serial.nonin-8',
        manufacturer: 'Nonin Medical',
        model: '9560',
        serial: 'SN-0042',
        firmware: '2.1',
        clockOffsetMs: 90_000,
      },
      deviceNotes: ['marginal perfusion'],
      recordedBy: 'nurse-1',
      status: 'final',
      versionOf: null,
      effectiveAt: '2026-03-01T08:59:00.000Z',
      recordedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(first.observations[1]?.deviceNotes).toEqual([]);
    expect(f.count()).toBe(2);

    // The same reading again, even with other values (a stale copy): nothing new, the first values back.
    f.clock.advance(5_000);
    const again = f.observations.recordDeviceReading('reading-1', f.reading(99, 90), 'nurse-2');
    // (Read back in id order: values filed in the same millisecond may come back in either order.)
    const byKind = (list: { kind: string }[]) => [...list].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(again.alreadyFiled).toBe(true);
    expect(byKind(again.observations)).toEqual(byKind(first.observations));
    expect(f.count()).toBe(2);
    expect(byKind(f.observations.observationsOfReading('reading-1'))).toEqual(byKind(first.observations));
    expect(f.observations.observationsOfReading('reading-2')).toEqual([]);

    // A new reading from the same device is filed.
    const second = f.observations.recordDeviceReading('reading-2', f.reading(74, 97), 'nurse-1');
    expect(second.alreadyFiled).toBe(false);
    expect(f.count()).toBe(4);
    f.db.close();
  });

  it('files nothing of a reading when one of its values cannot be filed', () => {
    const f = desk();
    const [hr, spo2] = f.reading(72, 96) as [NewObservation, NewObservation];
    // A typed-in value slipped into a device reading.
    const typed = { ...spo2, method: 'manual' as const, device: undefined, deviceNotes: undefined };
    expect(errorOf(() => f.observations.recordDeviceReading('reading-3', [hr, typed], 'nurse-1')).code).toBe(
      'VALIDATION',
    );
    // An implausible second value.
    expect(
      errorOf(() => f.observations.recordDeviceReading('reading-3', [hr, { ...spo2, value: 140 }], 'nurse-1'))
        .code,
    ).toBe('VALIDATION');
    expect(f.count()).toBe(0);
    expect(f.observations.observationsOfReading('reading-3')).toEqual([]);
    // The corrected reading then files whole.
    expect(f.observations.recordDeviceReading('reading-3', [hr, spo2], 'nurse-1').observations).toHaveLength(
      2,
    );
    f.db.close();
  });

  it('a hand correction of a device value is typed, carries no device, and keeps the device version in the history', () => {
    const f = desk();
    const hr = f.observations.recordDeviceReading('reading-4', f.reading(72, 96), 'nurse-1').observations[0]!;
    f.clock.advance(60_000);
    const amended = f.observations.amendObservation(hr.id, { value: 76 }, 'Counted by hand', 'nurse-2');
    expect(amended).toMatchObject({
      value: 76,
      method: 'manual',
      device: null,
      deviceNotes: [],
      status: 'amended',
      reason: 'Counted by hand',
      versionOf: hr.id,
      seriesId: hr.seriesId,
      recordedBy: 'nurse-2',
      recordedAt: '2026-03-01T09:01:00.000Z',
      effectiveAt: '2026-03-01T08:59:00.000Z',
    });
    const history = f.observations.observationHistory(hr.seriesId);
    expect(history.map((o) => [o.value, o.method, o.device?.deviceId ?? null])).toEqual([
      [72, 'device', 'oxi-7'],
      [76, 'manual', null],
    ]);
    // Withdrawing keeps the value and says why.
    f.clock.advance(60_000);
    const withdrawn = f.observations.markEnteredInError(amended.id, 'Wrong patient', 'nurse-2');
    expect(withdrawn).toMatchObject({
      value: 76,
      status: 'entered-in-error',
      reason: 'Wrong patient',
      versionOf: amended.id,
    });
    expect(f.observations.observationHistory(hr.seriesId).map((o) => o.status)).toEqual([
      'final',
      'amended',
      'entered-in-error',
    ]);
    // Neither can be corrected again.
    expect(
      errorOf(() => f.observations.amendObservation(amended.id, { value: 80 }, 'Again', 'n')).message,
    ).toBe('This measurement has already been corrected by someone else. Reload it and try again.');
    expect(
      errorOf(() => f.observations.amendObservation(withdrawn.id, { value: 80 }, 'Again', 'n')).message,
    ).toBe('This measurement was marked as entered in error and cannot be changed.');
    const notFound = { code: 'NOT_FOUND', message: 'This measurement could not be found.' };
    expect(errorOf(() => f.observations.getObservation('no-such-id')).toPayload()).toEqual(notFound);
    expect(errorOf(() => f.observations.observationHistory('no-such-series')).toPayload()).toEqual(notFound);
    f.db.close();
  });
});

describe('what the nurse is told when a value cannot be filed', () => {
  it.each([
    [
      'a device reading without its device',
      { method: 'device' },
      'A reading from a device must say which device it came from.',
      [{ path: 'device', message: 'Missing device details.' }],
    ],
    [
      'a typed value carrying device notes',
      { method: 'manual', deviceNotes: ['Irregular pulse detected'] },
      'A measurement typed in by hand has no device notes.',
      [{ path: 'deviceNotes', message: 'Only a device reading carries what the device said.' }],
    ],
    [
      'a typed value carrying a device',
      { method: 'manual', device: oximeter },
      'A measurement typed in by hand has no device.',
      [{ path: 'device', message: 'Remove the device, or record it as a device reading.' }],
    ],
    [
      'a time more than 5 minutes ahead',
      { method: 'manual', effectiveAt: '2026-03-01T09:05:00.001Z' },
      'The time of the measurement is in the future; check the clock and the time entered.',
      [{ path: 'effectiveAt', message: 'In the future.' }],
    ],
  ])('%s', (_why, change, message, issues) => {
    const f = desk();
    const input = {
      patientId: f.jane.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: '2026-03-01T08:59:00Z',
      ...change,
    };
    expect(
      errorOf(() => f.observations.recordObservation(input as NewObservation, 'nurse-1')).toPayload(),
    ).toEqual({
      code: 'VALIDATION',
      message,
      issues,
    });
    expect(f.count()).toBe(0);
    f.db.close();
  });

  it('a typed value slipped into a device reading is named as such', () => {
    const f = desk();
    const typed = {
      patientId: f.jane.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: '2026-03-01T08:59:00Z',
      method: 'manual',
    } as const;
    expect(
      errorOf(() => f.observations.recordDeviceReading('reading-9', [typed], 'nurse-1')).toPayload(),
    ).toEqual({
      code: 'VALIDATION',
      message: 'Only a device reading is filed by its reading id.',
    });
    f.db.close();
  });
});

describe('reading values back', () => {
  it('history includes the ends of its range and leaves out what is outside it', () => {
    const f = desk();
    for (const [value, at] of [
      [70, '2026-02-01T10:00:00.000Z'],
      [71, '2026-02-02T10:00:00.000Z'],
      [72, '2026-02-03T10:00:00.000Z'],
    ] as const)
      f.observations.recordObservation(
        { patientId: f.jane.id, kind: 'heartRate', value, effectiveAt: at, method: 'manual' },
        'nurse-1',
      );
    const history = (range: { from?: string; to?: string }) =>
      f.observations.vitalsHistory(f.jane.id, '8867-4', range).map((o) => o.value);
    expect(history({})).toEqual([70, 71, 72]);
    expect(history({ from: '2026-02-02T10:00:00.000Z' })).toEqual([71, 72]);
    expect(history({ to: '2026-02-02T10:00:00.000Z' })).toEqual([70, 71]);
    expect(history({ from: '2026-02-02T10:00:00.001Z', to: '2026-02-03T09:59:59.999Z' })).toEqual([]);
    // Another code, or another patient: nothing.
    expect(f.observations.vitalsHistory(f.jane.id, '59408-5')).toEqual([]);
    f.db.close();
  });

  it('names the recorder by display name when the account is known', () => {
    const f = desk();
    f.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, recovery_salt, created_at, updated_at)
         VALUES ('nurse-9', 'kim', 'Kim Lee', 'nurse', 'x', 'salt', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run();
    const byKim = f.observations.recordObservation(
      {
        patientId: f.jane.id,
        kind: 'heartRate',
        value: 70,
        effectiveAt: '2026-03-01T08:00:00Z',
        method: 'manual',
      },
      'nurse-9',
    );
    const byUnknown = f.observations.recordObservation(
      {
        patientId: f.jane.id,
        kind: 'spo2',
        value: 97,
        effectiveAt: '2026-03-01T08:00:00Z',
        method: 'manual',
      },
      'nurse-1',
    );
    expect(byKim.recordedByName).toBe('Kim Lee');
    expect(byUnknown.recordedByName).toBeUndefined();
    f.db.close();
  });
});
