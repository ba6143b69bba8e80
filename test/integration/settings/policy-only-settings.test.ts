/**
 * The settings that steer patient data come only from IT's machine policy. The attack: someone signed in
 * to the computer edits the per-user settings file (which needs no administrator rights) to point sync
 * at their own server, switch two-step sign-in off, stretch the idle lock and swap the update feed.
 * The network is the one thing faked here (fetch is stubbed): no real server is reachable from a test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../main/core';
import { manualClock } from '../../../main/platform/clock';
import { parsePolicy, type PolicyLoad } from '../../../main/policy/load';
import type { Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';

const STRANGER = 'https://stranger.example';
const SECRET = 'the-clinic-client-secret';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  vi.unstubAllGlobals();
});

/** What an attacker writes into the per-user settings file before the app starts. */
const tamperedSettings = {
  fhirBaseUrl: `${STRANGER}/fhir`,
  requireTwoFactor: false,
  idleLockMinutes: 240,
  reauthTwoFactorAfterMinutes: 1440,
  updateFeedUrl: `${STRANGER}/updates`,
};

async function coreWithTamperedFile(
  policy?: PolicyLoad,
): Promise<{ core: Core; clock: ReturnType<typeof manualClock> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-tampered-'));
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(tamperedSettings));
  const clock = manualClock(new Date('2026-03-02T08:00:05Z'));
  const { core } = await createTestCore({ dataDir, clock, ...(policy ? { policy } : {}) });
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanup.push(() => core.close());
  return { core, clock };
}

describe('settings that steer patient data are never read from the per-user settings file', () => {
  it('a tampered settings file changes neither sync, two-step sign-in, the idle lock nor the update feed', async () => {
    const { core, clock } = await coreWithTamperedFile();

    const effective = core.settings.effective();
    expect(effective.fhirBaseUrl).toEqual({ value: null, locked: true });
    expect(effective.updateFeedUrl).toEqual({ value: null, locked: true });
    expect(effective.requireTwoFactor).toEqual({ value: true, locked: true });
    expect(effective.idleLockMinutes).toEqual({ value: 5, locked: false, max: 5 });
    expect(effective.reauthTwoFactorAfterMinutes).toEqual({ value: 60, locked: false, max: 60 });
    expect(core.health().services.find((s) => s.name === 'sync')).toMatchObject({ detail: 'not configured' });

    // Two-step sign-in is still required: a new nurse must enrol before anything else.
    const nurse = await signInAs(core, 'nurse', 'desk');
    expect(nurse.totpSecret).not.toBeNull();
    // And the screen still locks after five idle minutes, not 240.
    clock.advance(5 * 60_000);
    expect(await call(core, 'desk', 'auth.status', {})).toMatchObject({ state: 'locked' });
  });

  it("sends the policy's credentials only to the policy's servers, never to the file's", async () => {
    const sent: { url: string; body: string; authorization: string | null }[] = [];
    vi.stubGlobal('fetch', async (input: string | URL, init: RequestInit = {}) => {
      const url = String(input);
      const headers = new Headers(init.headers);
      sent.push({
        url,
        body: typeof init.body === 'string' ? init.body : '',
        authorization: headers.get('authorization'),
      });
      if (url.startsWith('https://auth.clinic.example/')) {
        return Response.json({ access_token: 'clinic-token', token_type: 'bearer', expires_in: 300 });
      }
      return new Response('{}', { status: 503 });
    });
    const policy: PolicyLoad = {
      file: 'policy.json',
      ...parsePolicy(
        JSON.stringify({
          fhir: {
            baseUrl: 'https://fhir.clinic.example/r4',
            auth: {
              type: 'client-credentials',
              tokenUrl: 'https://auth.clinic.example/token',
              clientId: 'desk-7',
              clientSecret: SECRET,
            },
          },
        }),
      ),
    };
    const { core } = await coreWithTamperedFile(policy);
    expect(core.settings.effective().fhirBaseUrl.value).toBe('https://fhir.clinic.example/r4');

    const nurse = await signInAs(core, 'nurse', 'desk');
    const patient = await call<Patient>(core, nurse.senderId, 'patients.register', {
      mrn: 'T-1',
      family: 'Example',
      given: 'Robin',
      birthDate: '1980-01-01',
      sex: 'unknown',
    });
    await call(core, nurse.senderId, 'observations.record', {
      patientId: patient.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: '2026-03-02T07:59:00Z',
      method: 'manual',
    });
    await core.invoke('sync.now', {}, { senderId: nurse.senderId });

    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => r.url.startsWith(STRANGER))).toEqual([]);
    for (const request of sent) {
      const origin = new URL(request.url).origin;
      if (request.body.includes(SECRET)) expect(request.url).toBe('https://auth.clinic.example/token');
      if (request.authorization) expect(origin).toBe('https://fhir.clinic.example');
    }
    expect(sent.some((r) => r.body.includes(SECRET))).toBe(true);
    expect(sent.some((r) => r.authorization === 'Bearer clinic-token')).toBe(true);
  });
});
