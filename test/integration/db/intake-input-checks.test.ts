/**
 * Main refuses what the intake screens refuse, so a renderer that skips its own checks changes
 * nothing: hidden characters in names, impossible birth dates, and video links that are not https.
 */
import { describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '../../../shared/records';
import { SAFE_TEXT_MESSAGES } from '../../../shared/records/safe-text';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';

async function setUp() {
  const { core } = await createTestCore();
  const nurse = await signInAs(core, 'nurse');
  const register = (changes: object) =>
    call<Patient>(core, nurse.senderId, 'patients.register', {
      mrn: 'IN-1',
      family: 'Okafor',
      given: 'Adaeze',
      birthDate: '1962-03-14',
      sex: 'female',
      ...changes,
    });
  return { core, nurse, register };
}

describe('registration through main', () => {
  it('refuses a right-to-left override, zero-width names, escape characters and impossible birth dates', async () => {
    const { core, nurse, register } = await setUp();
    /** The field-level sentence main sends back, as the form shows it next to the field. */
    const refusal = async (changes: Record<string, string>) => {
      const answer = await core.invoke(
        'patients.register',
        {
          mrn: 'IN-1',
          family: 'Okafor',
          given: 'Adaeze',
          birthDate: '1962-03-14',
          sex: 'female',
          ...changes,
        },
        { senderId: nurse.senderId },
      );
      if (answer.ok) throw new Error('accepted');
      return answer.error.issues?.map((i) => `${i.path}: ${i.message}`) ?? [];
    };
    expect(await refusal({ family: 'Okafor\u202Eevil' })).toEqual([`family: ${SAFE_TEXT_MESSAGES.bidi}`]);
    expect(await refusal({ given: '\u200B\u200B' })).toEqual([`given: ${SAFE_TEXT_MESSAGES.invisible}`]);
    expect(await refusal({ phone: '555\u001B[31m' })).toEqual([`phone: ${SAFE_TEXT_MESSAGES.control}`]);
    expect(await refusal({ birthDate: '2062-03-14' })).toEqual([
      'birthDate: A birth date cannot be in the future.',
    ]);
    expect((await refusal({ birthDate: '1850-01-01' }))[0]).toMatch(/130 years/);
    // Nothing was saved by the refused attempts; a clean one goes through, stored in NFC.
    const saved = await register({ given: 'Rene\u0301e' });
    expect(saved.given).toBe('Ren\u00E9e');
    await core.close();
  });
});

describe('a visit’s video link', () => {
  it('is refused unless https, can be added after the visit starts and changed, not once finished', async () => {
    const { core, nurse, register } = await setUp();
    const patient = await register({});
    const start = (joinUrl: string) =>
      call<Encounter>(core, nurse.senderId, 'encounters.start', { patientId: patient.id, joinUrl });
    await expect(start('javascript:alert(1)')).rejects.toThrow(/https/);
    await expect(start('http://meet.example.org/v/1')).rejects.toThrow(/https/);
    await expect(start('https://nurse:pw@meet.example.org/v/1')).rejects.toThrow(/user name or password/);
    const visit = await call<Encounter>(core, nurse.senderId, 'encounters.start', { patientId: patient.id });
    expect(visit.joinUrl).toBeNull();

    const set = (joinUrl: string) =>
      call<Encounter>(core, nurse.senderId, 'encounters.setVideoLink', { encounterId: visit.id, joinUrl });
    await expect(set('javascript:alert(1)')).rejects.toThrow(/https/);
    expect((await set('https://meet.example.org/v/1')).joinUrl).toBe('https://meet.example.org/v/1');
    expect((await set('https://meet.example.org/v/2')).joinUrl).toBe('https://meet.example.org/v/2');
    await call(core, nurse.senderId, 'encounters.finish', { encounterId: visit.id });
    await expect(set('https://meet.example.org/v/3')).rejects.toThrow(/finished/);
    await core.close();
  });
});
