/**
 * The History of one vital in a visit: every value the nurse recorded, not only the newest, each with
 * all its versions, entered-in-error ones included, so a typo followed by a newer value can still be
 * withdrawn. On a real encrypted file with the clock moved by hand, the way a morning goes.
 */
import { describe, expect, it } from 'vitest';
import type { NewObservation } from '../../../shared/records';
import { JANE, openFixture } from './fixtures';

type Fixture = ReturnType<typeof openFixture>;

function rr(f: Fixture, patientId: string, encounterId: string | undefined, value: number, by: string) {
  const input: NewObservation = {
    patientId,
    ...(encounterId ? { encounterId } : {}),
    kind: 'respiratoryRate',
    value,
    effectiveAt: f.clock.now().toISOString(),
    method: 'manual',
  };
  const o = f.observations.recordObservation(input, by);
  f.clock.advance(60_000);
  return o;
}

describe('every value of a vital in the visit', () => {
  it('lists the typo and the newer value with their versions, newest first, and leaves out other visits, kinds and patients', () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const other = f.patients.registerPatient({ ...JANE, mrn: 'MRN-2002', given: 'Other' });

    // Last week's visit: a respiratory rate that is not this visit's business.
    const lastWeek = f.encounters.startEncounter({ patientId: jane.id }, 'nurse-a');
    rr(f, jane.id, lastWeek.id, 16, 'nurse-a');
    f.encounters.finishEncounter(lastWeek.id, 'nurse-a');
    f.clock.advance(7 * 24 * 3600_000);

    const visit = f.encounters.startEncounter({ patientId: jane.id }, 'nurse-a');
    const otherVisit = f.encounters.startEncounter({ patientId: other.id }, 'nurse-a');
    const typo = rr(f, jane.id, visit.id, 2, 'nurse-a');
    const newer = rr(f, jane.id, visit.id, 24, 'nurse-a');
    rr(f, other.id, otherVisit.id, 20, 'nurse-a');
    f.observations.recordObservation(
      {
        patientId: jane.id,
        encounterId: visit.id,
        kind: 'heartRate',
        value: 80,
        effectiveAt: f.clock.now().toISOString(),
        method: 'manual',
      },
      'nurse-a',
    );
    // A colleague corrects the newer value; the first nurse then withdraws the typo, which only the
    // History can still reach (the card shows the newer value).
    const corrected = f.observations.amendObservation(newer.id, { value: 22 }, 'Counted again', 'nurse-b');
    const withdrawn = f.observations.markEnteredInError(typo.id, 'Typed 2 for 22', 'nurse-a');

    const listed = f.observations.valuesInVisit(jane.id, 'respiratoryRate', visit.id);
    expect(listed.map((s) => s.seriesId)).toEqual([newer.id, typo.id]);
    expect(listed[0]!.versions.map((v) => [v.value, v.status, v.recordedBy, v.reason])).toEqual([
      [24, 'final', 'nurse-a', null],
      [22, 'amended', 'nurse-b', 'Counted again'],
    ]);
    expect(listed[1]!.versions.map((v) => [v.value, v.status, v.recordedBy, v.reason])).toEqual([
      [2, 'final', 'nurse-a', null],
      [2, 'entered-in-error', 'nurse-a', 'Typed 2 for 22'],
    ]);
    expect(listed[0]!.versions.at(-1)!.id).toBe(corrected.id);
    expect(listed[1]!.versions.at(-1)!.id).toBe(withdrawn.id);
    // The card's latest is the corrected value; the withdrawn typo is no longer anyone's latest.
    expect(f.observations.latestVitals(jane.id).find((o) => o.kind === 'respiratoryRate')?.value).toBe(22);

    expect(
      f.observations.valuesInVisit(jane.id, 'heartRate', visit.id).map((s) => s.versions[0]!.value),
    ).toEqual([80]);
    expect(f.observations.valuesInVisit(jane.id, 'respiratoryRate', lastWeek.id)).toHaveLength(1);
    // Every kind at once (what the intake loads), grouped by measurement.
    expect(
      f.observations
        .valuesInVisit(jane.id, null, visit.id)
        .map((s) => [s.versions[0]!.kind, s.versions.length]),
    ).toEqual([
      ['heartRate', 1],
      ['respiratoryRate', 2],
      ['respiratoryRate', 2],
    ]);
    // Another patient's visit id with this patient gives nothing of either.
    expect(f.observations.valuesInVisit(jane.id, 'respiratoryRate', otherVisit.id)).toEqual([]);
  });

  it('a withdrawn value can be withdrawn only once, and the History shows it after the card has nothing valid', () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const visit = f.encounters.startEncounter({ patientId: jane.id }, 'nurse-a');
    const only = rr(f, jane.id, visit.id, 2, 'nurse-a');
    f.observations.markEnteredInError(only.id, 'Wrong patient', 'nurse-a');
    expect(f.observations.latestVitals(jane.id).some((o) => o.kind === 'respiratoryRate')).toBe(false);
    const listed = f.observations.valuesInVisit(jane.id, 'respiratoryRate', visit.id);
    expect(listed.map((s) => s.versions.map((v) => v.status))).toEqual([['final', 'entered-in-error']]);
    expect(() => f.observations.markEnteredInError(only.id, 'Again', 'nurse-a')).toThrow(
      /already been corrected/,
    );
  });

  it('without a visit lists the values taken without one during the last day', () => {
    const f = openFixture();
    const jane = f.patients.registerPatient(JANE);
    const yesterday = rr(f, jane.id, undefined, 14, 'nurse-a');
    f.clock.advance(23 * 3600_000);
    const dayOld = rr(f, jane.id, undefined, 15, 'nurse-a');
    const visit = f.encounters.startEncounter({ patientId: jane.id }, 'nurse-a');
    rr(f, jane.id, visit.id, 18, 'nurse-a');
    f.clock.advance(3600_000);
    const recent = rr(f, jane.id, undefined, 16, 'nurse-a');
    // 24 h 2 min after the first: it has left the day; the one 23 h ago has not.
    expect(f.observations.valuesInVisit(jane.id, 'respiratoryRate', null).map((s) => s.seriesId)).toEqual([
      recent.id,
      dayOld.id,
    ]);
    expect(yesterday.id).not.toBe(dayOld.id);
  });
});
