/**
 * IT's policy lists the clinic's video hosts, but the list cannot be read (no entry is a host name): no
 * video link opens anywhere, and intake and review say why and whom to ask, in words that fit the
 * 1366×768 screen, while the visit itself starts and is reviewed as usual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../main/policy/load';
import type { Encounter, Patient } from '../../shared/records';
import { signInAs } from '../support/session';
import { openPatientAtIntake, startWorkstation, type Workstation } from './harness';
import { call, NURSE_WINDOW, poll } from './review-steps';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const UNREADABLE =
  "No video link is opened: the clinic's list of video hosts could not be read. Ask IT to correct videoLinkHosts in the policy file.";

describe('video host list that cannot be read', () => {
  it('says so at intake and in review, and the visit goes on without video', async () => {
    ws = await startWorkstation({
      route: 'intake',
      core: {
        policy: {
          file: 'policy.json',
          ...parsePolicy(JSON.stringify({ videoLinkHosts: [42, '', 'not a host!'] })),
        },
      },
    });
    const { core, page } = ws;
    await signInAs(core, 'nurse', NURSE_WINDOW);
    const rule = await call<{ videoLinkHosts?: unknown }>(core, 'reviews.rules', {});
    expect(rule.videoLinkHosts).toBe('none');
    const withLink = await call<Patient>(core, 'patients.register', {
      mrn: 'VH-1',
      family: 'Adeyemi',
      given: 'Tunde',
      birthDate: '1959-10-01',
      sex: 'male',
    });
    await call<Encounter>(core, 'encounters.start', {
      patientId: withLink.id,
      reason: 'Video follow-up',
      joinUrl: 'https://meet.clinic.example/v/VH-1',
    });
    await call<Patient>(core, 'patients.register', {
      mrn: 'VH-2',
      family: 'Moreau',
      given: 'Claire',
      birthDate: '1983-01-20',
      sex: 'female',
    });

    // Intake: a visit with a link is refused before anything is sent, with the reason at the field.
    await openPatientAtIntake(page, 'VH-2', /MOREAU, Claire/, { keyboard: true });
    await page.getByLabel('Visit id or join link').fill('https://meet.clinic.example/v/VH-2');
    await page.getByLabel('Reason for visit').fill('Video follow-up');
    await page.getByRole('button', { name: 'Start visit' }).click();
    const visitPanel = page.getByTestId('visit-panel');
    await poll(() => visitPanel.textContent()).toContain(UNREADABLE);
    expect(await visitPanel.getByRole('alert').first().textContent()).toContain('Visit not started');
    await ws.screenshot('video-hosts-unreadable-intake');
    const panelBox = (await visitPanel.boundingBox())!;
    expect(panelBox.x + panelBox.width).toBeLessThanOrEqual(1366);
    // Without the link, the visit starts.
    await page.getByLabel('Visit id or join link').fill('');
    await page.getByRole('button', { name: 'Start visit' }).click();
    await page.getByText(/Visit in progress since/).waitFor();

    // Review: the visit with a link says once why it cannot be joined; no Join button.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Review/ })
      .click();
    const row = page.getByTestId('visits-in-progress').getByRole('button', { name: /ADEYEMI, Tunde/ });
    await row.waitFor();
    await row.click();
    await page.getByTestId('review-screen').waitFor();
    const link = page.getByTestId('video-link');
    await poll(() => link.textContent()).toContain(UNREADABLE);
    expect(await link.textContent()).not.toMatch(/not opened: No video link is opened/);
    expect(await page.getByRole('button', { name: /^Join video/ }).count()).toBe(0);
    await ws.screenshot('video-hosts-unreadable-review');
    const linkBox = (await link.boundingBox())!;
    expect(linkBox.x + linkBox.width).toBeLessThanOrEqual(1366);
  });

  it('tells the administrator in Settings which policy field to correct', async () => {
    ws = await startWorkstation({
      route: 'settings',
      signIn: 'admin',
      core: {
        policy: {
          file: 'policy.json',
          ...parsePolicy(JSON.stringify({ videoLinkHosts: [42, '', 'not a host!'] })),
        },
      },
    });
    const { page } = ws;
    await page.getByRole('heading', { name: 'Workstation settings' }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'settings file has a problem' });
    await banner.waitFor();
    expect(await banner.getByTestId('policy-problem').allTextContents()).toEqual([
      expect.stringMatching(/^videoLinkHosts /),
    ]);
    await ws.screenshot('video-hosts-unreadable-admin');
  });
});
