/** The shared-device rule: which readings that name a user may be filed for this desk's patient. */
import { describe, expect, it } from 'vitest';
import { deviceUserOf, mayFileForPatient } from '../../../../main/devices/rules/device-user';

const desk = { patientId: 'p1', encounterId: 'v1' };
const matched = [{ deviceId: 'cuff', deviceUser: 2, patientId: 'p1', encounterId: 'v1' }];

describe('shared cuffs and scales', () => {
  it('user 0xFF (unknown) and no user are not held', () => {
    expect(deviceUserOf(0xff)).toBeUndefined();
    expect(deviceUserOf(undefined)).toBeUndefined();
    expect(deviceUserOf(0)).toBe(0);
    expect(mayFileForPatient([], { deviceId: 'cuff', deviceUser: undefined }, desk)).toBe(true);
  });

  it.each([
    ['matched to this patient and visit', { deviceId: 'cuff', deviceUser: 2 }, desk, true],
    ['another user of the same cuff', { deviceId: 'cuff', deviceUser: 3 }, desk, false],
    ['the same user number on another cuff', { deviceId: 'scale', deviceUser: 2 }, desk, false],
    [
      'the same user at another patient',
      { deviceId: 'cuff', deviceUser: 2 },
      { patientId: 'p2', encounterId: 'v1' },
      false,
    ],
    [
      'the same user at another visit',
      { deviceId: 'cuff', deviceUser: 2 },
      { patientId: 'p1', encounterId: 'v2' },
      false,
    ],
  ])('%s', (_what, reading, at, allowed) => {
    expect(mayFileForPatient(matched, reading, at)).toBe(allowed);
  });
});
