/**
 * What the outbox hands the FHIR mapping, and what each outcome does to the queue, on a real encrypted
 * database and a hand-moved clock (no server: these are the outbox's own records). A morning at one
 * desk: two patients, a visit, a blood pressure from a cuff, an ACVPU level, a temperature, a
 * correction to a patient's phone, and a server that refuses some of it. People and values are invented.
 */
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../main/sync/outbox';
import { manualClock } from '../../../main/platform/clock';
import type { RemoteObservation } from '../../../shared/fhir/from-observation';
import { NURSE, OFFLINE_URL, openWorkstation, recordHeartRates, registerPatient } from './helpers';

const MORNING = new Date('2026-03-02T08:00:00.000Z');

function desk() {
  const ws = openWorkstation({ baseUrl: OFFLINE_URL });
  const clock = manualClock(MORNING);
  const outbox = createOutbox(ws.db, clock);
  return { ws, clock, outbox };
}

describe('the outbox’s pending entries', () => {
  it('carry each kind of reading, its visit and its recorder as the mapping needs them, oldest first', async () => {
    const { ws, outbox } = desk();
    const ada = registerPatient(ws, 'T-0101');
    const visit = ws.encounters.startEncounter({ patientId: ada.id }, NURSE);
    const bp = ws.observations.recordObservation(
      {
        patientId: ada.id,
        encounterId: visit.id,
        kind: 'bloodPressure',
        components: [
          { kind: 'systolic', value: 128 },
          { kind: 'diastolic', value: 82 },
        ],
        effectiveAt: '2026-03-02T07:50:00.000Z',
        method: 'device',
        device: { deviceId: 'cuff-1', transport: 'ble', driver: 'ble.blood-pressure', manufacturer: 'Acme' },
      },
      NURSE,
    );
    const avpu = ws.observations.recordObservation(
      {
        patientId: ada.id,
        kind: 'consciousness',
        valueCode: 'C',
        effectiveAt: '2026-03-02T07:51:00.000Z',
        method: 'manual',
      },
      NURSE,
    );
    const temp = ws.observations.recordObservation(
      {
        patientId: ada.id,
        kind: 'bodyTemperature',
        value: 38.4,
        bodySite: 'tympanic',
        effectiveAt: '2026-03-02T07:52:00.000Z',
        method: 'manual',
      },
      NURSE,
    );

    const entries = outbox.pending(10);
    expect(entries.map((e) => e.observationId)).toEqual([bp.id, avpu.id, temp.id]);
    expect(outbox.pending(2).map((e) => e.observationId)).toEqual([bp.id, avpu.id]);
    const [bpUnit, avpuUnit, tempUnit] = entries.map((e) => e.unit);

    expect(bpUnit?.observation).toMatchObject({
      seriesId: bp.id,
      version: 1,
      status: 'final',
      patientId: ada.id,
      encounterId: visit.id,
      values: [
        { kind: 'systolic', value: 128 },
        { kind: 'diastolic', value: 82 },
      ],
      consciousness: null,
      effectiveAt: '2026-03-02T07:50:00.000Z',
      // The nurse has no account on this database: the mapping still names a recorder.
      recordedBy: { id: NURSE, displayName: 'Vitals Desk user' },
      method: 'device',
      bodySite: null,
      reason: null,
    });
    expect(bpUnit?.observation.device).toMatchObject({ deviceId: 'cuff-1', manufacturer: 'Acme' });
    expect(bpUnit?.patient).toEqual({
      id: ada.id,
      mrn: 'T-0101',
      family: 'Sample',
      given: 'Jordan',
      birthDate: '1961-07-14',
      sex: 'other',
      phone: null,
      email: null,
    });
    expect(bpUnit?.encounter).toEqual({
      id: visit.id,
      patientId: ada.id,
      startedAt: visit.start,
      endedAt: null,
      status: 'in-progress',
    });

    // ACVPU: the level travels as its code, with no numeric value.
    expect(avpuUnit?.observation).toMatchObject({ values: [], consciousness: 'C', encounterId: null });
    expect(avpuUnit?.encounter).toBeNull();
    // A single value travels as itself, with where it was taken.
    expect(tempUnit?.observation).toMatchObject({
      values: [{ kind: 'bodyTemperature', value: 38.4 }],
      consciousness: null,
      bodySite: 'tympanic',
      method: 'manual',
      device: null,
    });
    await ws.close();
  });

  it('carry the current version of a corrected reading with its reason, and a finished visit’s end', async () => {
    const { ws, outbox } = desk();
    const ada = registerPatient(ws, 'T-0102');
    const visit = ws.encounters.startEncounter({ patientId: ada.id }, NURSE);
    const [hr] = recordHeartRates(ws, ada.id, 1, visit.id) as [string];
    const amended = ws.observations.amendObservation(hr, { value: 88 }, 'Counted for a full minute', NURSE);
    const finished = ws.encounters.finishEncounter(visit.id, NURSE);
    const [entry] = outbox.pending(10);
    expect(entry?.observationId).toBe(amended.id);
    expect(entry?.unit.observation).toMatchObject({
      seriesId: hr,
      version: 2,
      status: 'amended',
      values: [{ kind: 'heartRate', value: 88 }],
      reason: 'Counted for a full minute',
    });
    expect(entry?.unit.encounter).toMatchObject({ endedAt: finished.end, status: 'finished' });
    // The finished visit waits to be sent on its own as well.
    expect(outbox.pendingEncounters(10)).toEqual([
      {
        encounterId: visit.id,
        unit: {
          encounter: {
            id: visit.id,
            patientId: ada.id,
            startedAt: visit.start,
            endedAt: finished.end,
            status: 'finished',
          },
          patient: expect.objectContaining({ id: ada.id, mrn: 'T-0102' }),
        },
      },
    ]);
    expect(outbox.pendingEncounters(0)).toEqual([]);
    await ws.close();
  });
});

describe('outcomes on the queue', () => {
  it('a failed attempt keeps the entry pending and says when; a success clears the error', async () => {
    const { ws, clock, outbox } = desk();
    const patient = registerPatient(ws);
    const ids = recordHeartRates(ws, patient.id, 2);
    expect(outbox.summary()).toEqual({
      queueLength: 2,
      updatesWaiting: 0,
      rejected: 0,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
    });
    outbox.markAttemptFailed(ids, 'The FHIR server could not be reached.');
    clock.advance(30_000);
    outbox.markAttemptFailed([ids[0]!], 'The FHIR server could not be reached.');
    expect(outbox.items(ids)).toEqual([
      { observationId: ids[0], state: 'pending', attempts: 2, sentAt: null },
      { observationId: ids[1], state: 'pending', attempts: 1, sentAt: null },
    ]);
    expect(outbox.summary()).toMatchObject({
      queueLength: 2,
      lastError: 'The FHIR server could not be reached.',
      lastErrorAt: '2026-03-02T08:00:30.000Z',
      lastSuccessAt: null,
    });
    clock.advance(30_000);
    expect(
      outbox.markSent(ids.map((observationId, i) => ({ observationId, remoteId: `Observation/r${i}` }))),
    ).toBe(2);
    expect(outbox.items(ids).map((i) => [i.state, i.sentAt])).toEqual([
      ['sent', '2026-03-02T08:01:00.000Z'],
      ['sent', '2026-03-02T08:01:00.000Z'],
    ]);
    expect(outbox.summary()).toMatchObject({
      queueLength: 0,
      lastError: null,
      lastSuccessAt: '2026-03-02T08:01:00.000Z',
    });
    expect(outbox.items(['no-such-entry'])).toEqual([
      { observationId: 'no-such-entry', state: 'unknown', attempts: 0, sentAt: null },
    ]);
    await ws.close();
  });

  it('setting aside one patient’s entries leaves the other patient’s, and what was already sent', async () => {
    const { ws, clock, outbox } = desk();
    const ada = registerPatient(ws, 'T-0201');
    const ben = registerPatient(ws, 'T-0202');
    const [adaSent, ...adaPending] = recordHeartRates(ws, ada.id, 3) as [string, ...string[]];
    const benIds = recordHeartRates(ws, ben.id, 2);
    outbox.markSent([{ observationId: adaSent, remoteId: null }]);
    clock.advance(5_000);
    expect(outbox.markPatientEntriesRejected(ada.id, 'Two patients on the server have this MRN.')).toBe(2);
    expect(outbox.items([adaSent, ...adaPending]).map((i) => [i.state, i.attempts])).toEqual([
      ['sent', 0],
      ['rejected', 1],
      ['rejected', 1],
    ]);
    expect(outbox.pending(10).map((e) => e.observationId)).toEqual(benIds);
    expect(outbox.summary()).toMatchObject({
      queueLength: 2,
      rejected: 2,
      lastError: 'Two patients on the server have this MRN.',
      lastErrorAt: '2026-03-02T08:00:05.000Z',
    });
    // Nothing of Ben's is pending for Ada any more.
    expect(outbox.markPatientEntriesRejected(ada.id, 'again')).toBe(0);
    await ws.close();
  });

  it('a corrected patient waits as an update; sent, retried or refused for good, as the server answers', async () => {
    const { ws, clock, outbox } = desk();
    const ada = registerPatient(ws, 'T-0301');
    const ben = registerPatient(ws, 'T-0302');
    ws.patients.correctPatient(
      {
        patientId: ada.id,
        expectedUpdatedAt: ada.updatedAt,
        changes: { phone: '+44 20 7946 0001' },
        reason: 'Typo',
      },
      NURSE,
    );
    ws.patients.correctPatient(
      { patientId: ben.id, expectedUpdatedAt: ben.updatedAt, changes: { given: 'Benedict' }, reason: 'Typo' },
      NURSE,
    );
    expect(outbox.summary().updatesWaiting).toBe(2);
    const [adaUpdate, benUpdate] = outbox.pendingPatients(10);
    expect(adaUpdate).toEqual({
      patient: expect.objectContaining({ id: ada.id, phone: '+44 20 7946 0001' }),
      generation: 1,
    });
    expect(benUpdate?.patient.given).toBe('Benedict');
    expect(outbox.pendingPatients(1)).toHaveLength(1);

    // A server error: retried later, still waiting.
    clock.advance(1_000);
    outbox.markPatientFailed(adaUpdate!, 'The FHIR server could not be reached.', false);
    expect(outbox.pendingPatients(10).map((p) => p.patient.id)).toEqual([ada.id, ben.id]);
    expect(outbox.summary()).toMatchObject({
      updatesWaiting: 2,
      rejected: 0,
      lastErrorAt: '2026-03-02T08:00:01.000Z',
    });
    // Refused for good: no longer waiting, counted as rejected.
    outbox.markPatientFailed(benUpdate!, 'The server refused this patient.', true);
    expect(outbox.summary()).toMatchObject({
      updatesWaiting: 1,
      rejected: 1,
      lastError: 'The server refused this patient.',
    });
    clock.advance(1_000);
    outbox.markPatientSent(adaUpdate!);
    expect(outbox.pendingPatients(10)).toEqual([]);
    expect(outbox.summary()).toMatchObject({
      updatesWaiting: 0,
      rejected: 1,
      lastError: null,
      lastSuccessAt: '2026-03-02T08:00:02.000Z',
    });
    const states = ws.db
      .prepare('SELECT patient_id, state, attempts, last_error FROM sync_patient_outbox ORDER BY rowid')
      .all();
    expect(states).toEqual([
      { patient_id: ada.id, state: 'sent', attempts: 1, last_error: null },
      { patient_id: ben.id, state: 'rejected', attempts: 1, last_error: 'The server refused this patient.' },
    ]);
    await ws.close();
  });

  it('finished visits are sent, retried, or refused for good', async () => {
    const { ws, clock, outbox } = desk();
    const ids = ['T-0401', 'T-0402', 'T-0403'].map((mrn) => {
      const p = registerPatient(ws, mrn);
      const visit = ws.encounters.startEncounter({ patientId: p.id }, NURSE);
      ws.encounters.finishEncounter(visit.id, NURSE);
      return visit.id;
    }) as [string, string, string];
    expect(outbox.summary().updatesWaiting).toBe(3);
    outbox.markEncountersFailed([ids[0]], 'The FHIR server could not be reached.', false);
    outbox.markEncountersFailed([ids[1]], 'The server refused this visit.', true);
    clock.advance(1_000);
    expect(outbox.markEncountersSent([ids[2], ids[1]])).toBe(1);
    expect(outbox.pendingEncounters(10).map((e) => e.encounterId)).toEqual([ids[0]]);
    expect(outbox.summary()).toMatchObject({ updatesWaiting: 1, rejected: 1, lastError: null });
    const rows = ws.db
      .prepare('SELECT encounter_id, state, attempts, last_error FROM sync_encounter_outbox ORDER BY rowid')
      .all();
    expect(rows).toEqual([
      {
        encounter_id: ids[0],
        state: 'pending',
        attempts: 1,
        last_error: 'The FHIR server could not be reached.',
      },
      { encounter_id: ids[1], state: 'rejected', attempts: 1, last_error: 'The server refused this visit.' },
      { encounter_id: ids[2], state: 'sent', attempts: 0, last_error: null },
    ]);
    await ws.close();
  });
});

describe('what the outbox remembers', () => {
  it.each([
    ['a size it accepted', 8, 8],
    ['one entry at a time', 1, 1],
    ['nothing usable: zero', 0, undefined],
    ['nothing usable: a fraction', 2.5, undefined],
  ])('the transaction size for a server: %s', async (_why, entries, remembered) => {
    const { ws, outbox } = desk();
    const server = 'https://fhir.example.org/r4';
    expect(outbox.transactionLimit(server)).toBeUndefined();
    outbox.rememberTransactionLimit(server, entries);
    expect(outbox.transactionLimit(server)).toBe(remembered);
    expect(outbox.transactionLimit('https://other.example.org/r4')).toBeUndefined();
    // It survives a restart: a new outbox on the same database reads it.
    expect(createOutbox(ws.db, manualClock(MORNING)).transactionLimit(server)).toBe(remembered);
    await ws.close();
  });

  it('keeps the server’s observations of a patient, newest first, skipping any without a server id', async () => {
    const { ws, clock, outbox } = desk();
    const ada = registerPatient(ws, 'T-0501');
    expect(outbox.mrnOf(ada.id)).toBe('T-0501');
    expect(outbox.mrnOf('nobody')).toBeUndefined();
    const older: RemoteObservation = {
      remoteId: 'Observation/a1',
      status: 'final',
      values: [{ kind: 'heartRate', value: 71 }],
      effectiveAt: '2026-03-01T09:00:00.000Z',
    };
    const newer: RemoteObservation = {
      ...older,
      remoteId: 'Observation/a2',
      effectiveAt: '2026-03-01T10:00:00.000Z',
    };
    const anonymous: RemoteObservation = {
      ...older,
      remoteId: undefined,
      effectiveAt: '2026-03-01T11:00:00.000Z',
    };
    outbox.saveRemote(ada.id, [older, anonymous, newer]);
    expect(outbox.remoteObservations(ada.id)).toEqual([newer, older]);
    // Fetched again with a corrected value: replaced, not duplicated.
    clock.advance(60_000);
    const corrected = {
      ...older,
      status: 'amended' as const,
      values: [{ kind: 'heartRate' as const, value: 74 }],
    };
    outbox.saveRemote(ada.id, [corrected]);
    expect(outbox.remoteObservations(ada.id)).toEqual([newer, corrected]);
    expect(outbox.remoteObservations('nobody')).toEqual([]);
    await ws.close();
  });
});
