/**
 * Before a registration, the patients it may duplicate: the same name and birth date (as search reads
 * names: case and accents aside), or the same phone however it was written. Through the real core, and
 * the audit trail keeps who asked and which patients were shown, never the name or number asked about.
 */
import { describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../../../main/db/keys';
import { samePhone } from '../../../main/db/repositories/patients';
import type { Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { firstAdmin, signInAs } from '../../support/session';
import { tempDir } from './helpers';

type Match = { id: string; mrn: string; matchedBy: string[] };

describe('likely duplicates at registration', () => {
  it('finds the same person by name and birth date or by phone, and audits only identifiers', async () => {
    const { core } = await createTestCore({ dataDir: tempDir(), dbKeyProvider: memoryKeyProvider() });
    const nurse = await signInAs(core, 'nurse');
    const s = nurse.senderId;
    const register = (p: Record<string, string>) => call<Patient>(core, s, 'patients.register', p);
    const jose = await register({
      mrn: 'D-1',
      family: 'García',
      given: 'José',
      birthDate: '1970-01-31',
      sex: 'male',
      phone: '+44 20 7946 0018',
    });
    const sister = await register({
      mrn: 'D-2',
      family: 'García',
      given: 'Lucía',
      birthDate: '1972-05-02',
      sex: 'female',
      phone: '(020) 7946-0099',
    });
    await register({ mrn: 'D-3', family: 'Other', given: 'Person', birthDate: '1970-01-31', sex: 'male' });
    const likely = (c: Record<string, string>) => call<Match[]>(core, s, 'patients.likelyDuplicates', c);

    // Name and birth date, typed without accents and in other case.
    expect(await likely({ family: 'GARCIA', given: 'jose', birthDate: '1970-01-31' })).toEqual([
      expect.objectContaining({ id: jose.id, mrn: 'D-1', matchedBy: ['name-and-birth-date'] }),
    ]);
    // A new name and birth date, but José's phone written the national way: found by the phone.
    expect(
      await likely({ family: 'Garcia Lopez', given: 'J', birthDate: '1970-02-01', phone: '020 7946 0018' }),
    ).toEqual([expect.objectContaining({ id: jose.id, matchedBy: ['phone'] })]);
    // Both at once: one entry with both reasons.
    expect(
      await likely({ family: 'García', given: 'José', birthDate: '1970-01-31', phone: '07946 0018' }),
    ).toEqual([expect.objectContaining({ id: jose.id, matchedBy: ['name-and-birth-date', 'phone'] })]);
    // A different number, a too-short one, and none: nobody by phone.
    expect(
      await likely({ family: 'X', given: 'Y', birthDate: '1999-01-01', phone: '020 7946 0017' }),
    ).toEqual([]);
    expect(await likely({ family: 'X', given: 'Y', birthDate: '1999-01-01', phone: '0018' })).toEqual([]);
    expect((await likely({ family: 'X', given: 'Y', birthDate: '1972-05-02' })).map((m) => m.id)).toEqual([]);
    // Lists carry no contact details, as search does.
    const [shown] = await likely({
      family: 'Z',
      given: 'Z',
      birthDate: '1900-01-01',
      phone: '+4420 7946 0099',
    });
    expect(shown).toMatchObject({ id: sister.id, matchedBy: ['phone'] });
    expect(shown).not.toHaveProperty('phone');

    const admin = await firstAdmin(core);
    const trail = await call<{
      records: { action: string; patientId: string | null; detail: string | null }[];
    }>(core, admin.senderId, 'audit.list', { filter: { action: 'patients.likelyDuplicates' } });
    expect(trail.records.length).toBeGreaterThanOrEqual(7);
    const text = JSON.stringify(trail.records);
    // Phone numbers as typed and as dialled (digits only, too long to turn up inside a random id or hash).
    for (const phi of [
      '7946 00',
      '2079460018',
      '2079460099',
      'GARCIA',
      'García',
      'jose',
      'Lopez',
      '1970-02-01',
    ])
      expect(text).not.toContain(phi);
    // Which patients were shown is recorded, by id.
    expect(trail.records.some((r) => r.patientId === jose.id)).toBe(true);
    await core.close();
  });

  it('compares phones by what is dialled', () => {
    expect(samePhone('+44 20 7946 0018', '020 7946 0018')).toBe(true);
    expect(samePhone('(555) 010-4477', '555.010.4477')).toBe(true);
    expect(samePhone('+1 555 010 4477', '555-010-4477')).toBe(true);
    expect(samePhone('555 010 4477', '555 010 4478')).toBe(false);
    // Six digits or fewer say too little about who it is.
    expect(samePhone('010 447', '010447')).toBe(false);
    expect(samePhone('', '')).toBe(false);
  });
});
