import { describe, expect, it } from 'vitest';
import { describePhiCall, phiAccessOf } from '../../../main/audit/phi-audit';

describe('which channels are audited as PHI access', () => {
  it.each([
    [{ access: 'public' as const }, 'none'],
    [{ access: ['nurse', 'clinician'] as const }, 'read'],
    [{ access: ['clinician'] as const }, 'read'],
    [{ access: ['nurse', 'admin'] as const }, 'none'],
    [{ access: ['admin'] as const, phi: 'write' as const }, 'write'],
    [{ access: ['nurse'] as const, phi: 'none' as const }, 'none'],
  ])('%j → %s', (definition, expected) => {
    expect(phiAccessOf(definition)).toBe(expected);
  });
});

describe('what an audit record takes from a call', () => {
  const patientId = '0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

  it('takes the patient from the request or the answer, and the resource by area', () => {
    expect(
      describePhiCall({
        channel: 'patients.get',
        request: { patientId },
        response: { id: patientId, family: 'Doe' },
        outcome: 'success',
      }),
    ).toEqual({
      action: 'patients.get',
      resourceType: 'Patient',
      resourceId: patientId,
      patientId,
      detail: null,
    });
    expect(
      describePhiCall({
        channel: 'patients.register',
        request: { family: 'Doe', given: 'Jane', mrn: 'X1' },
        response: { id: patientId, family: 'Doe' },
        outcome: 'success',
      }),
    ).toMatchObject({ resourceType: 'Patient', resourceId: patientId, patientId });
    expect(
      describePhiCall({
        channel: 'patients.correct',
        request: { patientId, changes: { family: 'Dough', birthDate: '1970-01-02' }, reason: 'Typo' },
        response: { id: patientId, family: 'Dough' },
        outcome: 'success',
      }),
    ).toEqual({
      action: 'patients.correct',
      resourceType: 'Patient',
      resourceId: patientId,
      patientId,
      detail: 'keys:birthDate,family',
    });
    expect(
      describePhiCall({
        channel: 'observations.amend',
        request: { observationId: 'obs-1', reason: 'Misread' },
        response: { id: 'obs-2', patientId },
        outcome: 'success',
      }),
    ).toMatchObject({ resourceType: 'Observation', resourceId: 'obs-1', patientId });
  });

  it('counts list answers, records refusals by code, and never copies text that is not an identifier', () => {
    expect(
      describePhiCall({
        channel: 'patients.search',
        request: { query: 'Jane Doe' },
        response: [{}, {}, {}],
        outcome: 'success',
      }),
    ).toMatchObject({ patientId: null, resourceId: null, detail: 'results:3' });
    expect(
      describePhiCall({
        channel: 'patients.get',
        request: { patientId: 'Jane Doe' },
        outcome: 'denied',
        errorCode: 'FORBIDDEN',
      }),
    ).toMatchObject({ patientId: null, detail: 'FORBIDDEN' });
  });
});
