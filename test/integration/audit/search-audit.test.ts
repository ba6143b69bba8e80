/**
 * Searches through the real core: a search answers at most 20 patients unless asked for more, the
 * answers carry no phone or email (only opening the patient does), and every patient a search or the
 * recent list showed is in the audit trail, so "who saw this patient" includes who found them.
 */
import { describe, expect, it } from 'vitest';
import type { AuditRecordView } from '../../../shared/ipc/channels/audit';
import { firstAdmin, signInAs } from '../../support/session';
import { authCore } from '../auth/helpers';
import { valueOf } from '../../support/core';

interface Listed {
  id: string;
  mrn: string;
  family: string;
  phone?: unknown;
  email?: unknown;
}

describe('patient searches', () => {
  it('give 20 by default, without contact details, and record each patient shown', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await signInAs(core, 'nurse', 'nurse-window');
    const registered: string[] = [];
    // A busy clinic: 24 Okafors and one Okonjo, each with a phone and an email.
    for (let i = 0; i < 25; i++) {
      const family = i === 24 ? 'Okonjo' : 'Okafor';
      const { id } = valueOf<{ id: string }>(
        await invoke('nurse-window', 'patients.register', {
          mrn: `MRN-${7000 + i}`,
          family,
          given: `Chidi${String.fromCharCode(65 + i)}`,
          birthDate: '1970-01-01',
          sex: 'male',
          phone: `+234 801 555 ${String(1000 + i)}`,
          email: `patient${i}@example.org`,
        }),
      );
      registered.push(id);
    }

    const found = valueOf<Listed[]>(await invoke('nurse-window', 'patients.search', { query: 'okafor' }));
    expect(found).toHaveLength(20);
    for (const patient of found) {
      expect(Object.keys(patient)).not.toContain('phone');
      expect(Object.keys(patient)).not.toContain('email');
    }
    expect(JSON.stringify(found)).not.toMatch(/example\.org|\+234/);
    // Asking for more gives more, up to what matches.
    expect(
      valueOf<Listed[]>(await invoke('nurse-window', 'patients.search', { query: 'okafor', limit: 50 })),
    ).toHaveLength(24);
    const recent = valueOf<Listed[]>(await invoke('nurse-window', 'patients.recent', {}));
    expect(recent.length).toBeGreaterThan(0);
    expect(JSON.stringify(recent)).not.toMatch(/example\.org|\+234/);
    // Opening one patient is what gives the contact details.
    const opened = valueOf<Listed>(await invoke('nurse-window', 'patients.get', { patientId: found[0]!.id }));
    expect(opened.phone).toMatch(/^\+234/);
    expect(opened.email).toMatch(/@example\.org$/);

    const trail = async (filter: Record<string, string>) =>
      valueOf<{ records: AuditRecordView[] }>(
        await invoke(admin.senderId, 'audit.list', { filter, limit: 200 }),
      ).records;
    const searches = (await trail({ action: 'patients.search' })).filter((r) => r.detail === 'results:20');
    // One record per patient shown, each naming that patient; nothing for the ones not shown.
    expect(searches.map((r) => r.patientId).sort()).toEqual(found.map((p) => p.id).sort());
    expect(new Set(searches.map((r) => r.actorUserId)).size).toBe(1);
    const notShown = registered.find((id) => !found.some((p) => p.id === id) && id !== registered[24])!;
    expect((await trail({ patientId: notShown, action: 'patients.search' })).map((r) => r.detail)).toEqual([
      'results:24',
    ]);
    // The Okonjo never came up in a search.
    expect(await trail({ patientId: registered[24]!, action: 'patients.search' })).toEqual([]);
    // The recent list is recorded the same way.
    expect((await trail({ action: 'patients.recent' })).length).toBe(recent.length);
    expect(valueOf(await invoke(admin.senderId, 'audit.verify', {}))).toMatchObject({ ok: true });
  });

  it('records a search that found nobody as one record without a patient', async () => {
    const { core, invoke } = await authCore();
    const admin = await firstAdmin(core);
    await signInAs(core, 'nurse', 'nurse-window');
    expect(valueOf<Listed[]>(await invoke('nurse-window', 'patients.search', { query: 'nobody' }))).toEqual(
      [],
    );
    const records = valueOf<{ records: AuditRecordView[] }>(
      await invoke(admin.senderId, 'audit.list', { filter: { action: 'patients.search' } }),
    ).records;
    expect(records).toMatchObject([{ patientId: null, detail: 'results:0', outcome: 'success' }]);
  });
});
