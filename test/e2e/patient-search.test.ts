/**
 * Finding a patient in the built renderer: the result list shows name, MRN, birth date and sex but
 * no contact details; choosing a result opens the patient in full (patients.get), and the audit
 * trail holds the search for each patient it showed and the opening of the one chosen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/records';
import type { AuditRecordView } from '../../shared/ipc/channels/audit';
import { call } from '../support/core';
import { firstAdmin, signInAs } from '../support/session';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('Patient search', () => {
  it('lists matches without contact details and opens the chosen patient in full', async () => {
    ws = await startWorkstation({ route: 'intake' });
    const { page, core } = ws;
    await page.getByTestId('workstation').waitFor();
    const nurse = await signInAs(core, 'nurse', 'chromium-page-1');
    await page.reload();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    const registered: Patient[] = [];
    for (const [mrn, given] of [
      ['MRN-3101', 'Ama'],
      ['MRN-3102', 'Kofi'],
      ['MRN-3103', 'Yaw'],
    ] as const)
      registered.push(
        await call<Patient>(core, nurse.senderId, 'patients.register', {
          mrn,
          family: 'Mensah',
          given,
          birthDate: '1972-03-14',
          sex: 'other',
          phone: '+233 30 222 0101',
          email: `${given.toLowerCase()}@example.org`,
        }),
      );

    await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').fill('mensah');
    await page.getByRole('option').nth(2).waitFor();
    expect(await page.getByRole('listbox', { name: 'Matching patients' }).textContent()).not.toMatch(
      /example\.org|\+233/,
    );
    await ws.screenshot('patient-search-1366x768');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor({ state: 'detached' });

    const admin = await firstAdmin(core);
    const trail = await call<{ records: AuditRecordView[] }>(core, admin.senderId, 'audit.list', {
      filter: {},
      limit: 100,
    });
    const searched = trail.records.filter((r) => r.action === 'patients.search' && r.patientId);
    expect(new Set(searched.map((r) => r.patientId))).toEqual(new Set(registered.map((p) => p.id)));
    const opened = trail.records.find((r) => r.action === 'patients.get');
    expect(registered.map((p) => p.id)).toContain(opened?.patientId);
  });
});
