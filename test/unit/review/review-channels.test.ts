/**
 * The review's channels through the real core: a red flag needs a note before main files a sign-off;
 * the policy's guideline reaches the screen; a video link leaves the app only after main's check; the
 * summary is printed by the window's host with "Printed by … at …" and page numbers. The host is a
 * recording stand-in here (there is no window); the e2e tests use the Chromium host's real one.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core';
import type { ReviewHost } from '../../../main/ipc/handlers/review-host';
import { parsePolicy } from '../../../main/policy/load';
import type { Encounter, Patient } from '../../../shared/records';
import { call, createTestCore } from '../../support/core';
import { signInAs } from '../../support/session';

let core: Core | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  core = dataDir = undefined;
});

const NURSE = 'nurse-window';
const DOCTOR = 'doctor-window';

async function visit(policy: object, joinUrl?: string) {
  const made = await createTestCore({
    policy: { file: 'policy.json', ...parsePolicy(JSON.stringify(policy)) },
  });
  core = made.core;
  dataDir = made.dataDir;
  await signInAs(core, 'nurse', NURSE);
  await signInAs(core, 'clinician', DOCTOR);
  const patient = await call<Patient>(core, NURSE, 'patients.register', {
    mrn: 'HT-0168',
    family: 'Okafor',
    given: 'Grace',
    birthDate: '1961-03-14',
    sex: 'female',
  });
  const encounter = await call<Encounter>(core, NURSE, 'encounters.start', {
    patientId: patient.id,
    reason: 'Hypertension follow-up',
    ...(joinUrl ? { joinUrl } : {}),
  });
  const record = (kind: string, value: object) =>
    call(core!, NURSE, 'observations.record', {
      patientId: patient.id,
      encounterId: encounter.id,
      effectiveAt: new Date().toISOString(),
      method: 'manual',
      kind,
      ...value,
    });
  return { core, patient, encounter, record };
}

function recordingHost(): ReviewHost & { opened: string[]; printed: { senderId: string; footer: string }[] } {
  const opened: string[] = [];
  const printed: { senderId: string; footer: string }[] = [];
  return {
    opened,
    printed,
    openExternal: async (url) => void opened.push(url),
    printToPdf: async (senderId, { footerTemplate }) => {
      printed.push({ senderId, footer: footerTemplate });
      // Two page objects, as Chromium writes them.
      return {
        savedTo: '/summaries/x.pdf',
        pdf: Buffer.from('%PDF-1.4 /Type /Page\n/Type /Page\n/Type /Pages'),
      };
    },
  };
}

describe('review channels', () => {
  it('files a sign-off on 168/98 without a note, but asks for one on a red flag, in main', async () => {
    const v = await visit({});
    await v.record('bloodPressure', {
      components: [
        { kind: 'systolic', value: 168 },
        { kind: 'diastolic', value: 98 },
      ],
    });
    // Stage 2 (amber): no note needed.
    await call(v.core, DOCTOR, 'reviews.signOff', { encounterId: v.encounter.id });
    // Glucose 48 mg/dL: level 2 hypoglycaemia, red.
    await v.record('glucose', { value: 48 });
    await expect(call(v.core, DOCTOR, 'reviews.signOff', { encounterId: v.encounter.id })).rejects.toThrow(
      /VALIDATION Write a review note: Level 2 hypoglycaemia \(ADA Standards of Care\)/,
    );
    await expect(
      call(v.core, DOCTOR, 'reviews.signOff', { encounterId: v.encounter.id, comment: '   ' }),
    ).rejects.toThrow(/review note/);
    await call(v.core, DOCTOR, 'reviews.signOff', {
      encounterId: v.encounter.id,
      comment: 'Glucose gel given; recheck in 15 min',
    });
    const reviews = await call<unknown[]>(v.core, DOCTOR, 'reviews.list', { encounterId: v.encounter.id });
    expect(reviews).toHaveLength(2);
  });

  it("gives the screen the policy's guideline, ACC/AHA 2017 by default", async () => {
    let v = await visit({});
    expect(await call(v.core, DOCTOR, 'reviews.rules', {})).toEqual({
      bpGuideline: 'acc-aha-2017',
      videoLinkHosts: [],
    });
    await core!.close();
    core = undefined;
    v = await visit({ bpGuideline: 'esc-esh-2023', videoLinkHosts: ['meet.clinic.example'] });
    expect(await call(v.core, DOCTOR, 'reviews.rules', {})).toEqual({
      bpGuideline: 'esc-esh-2023',
      videoLinkHosts: ['meet.clinic.example'],
    });
  });

  it('opens the visit link through the host only when it passes the rule', async () => {
    const v = await visit({ videoLinkHosts: ['meet.clinic.example'] }, 'https://meet.clinic.example/v/8841');
    const host = recordingHost();
    await expect(
      call(v.core, DOCTOR, 'visits.openVideoLink', { encounterId: v.encounter.id }),
    ).rejects.toThrow(/UNAVAILABLE/);
    v.core.attachReviewHost(host);
    expect(await call(v.core, DOCTOR, 'visits.openVideoLink', { encounterId: v.encounter.id })).toEqual({
      host: 'meet.clinic.example',
    });
    expect(host.opened).toEqual(['https://meet.clinic.example/v/8841']);

    // A link to another host, or plain http, never reaches the host.
    await call(v.core, NURSE, 'encounters.finish', { encounterId: v.encounter.id });
    const other = await call<Encounter>(v.core, NURSE, 'encounters.start', {
      patientId: v.patient.id,
      joinUrl: 'https://meet.evil.example/v/1',
    });
    await expect(call(v.core, DOCTOR, 'visits.openVideoLink', { encounterId: other.id })).rejects.toThrow(
      /does not use meet.evil.example/,
    );
    await call(v.core, NURSE, 'encounters.finish', { encounterId: other.id });
    // Plain http is not even kept: the visit is refused with the reason.
    await expect(
      call(v.core, NURSE, 'encounters.start', {
        patientId: v.patient.id,
        joinUrl: 'http://meet.clinic.example/v/2',
      }),
    ).rejects.toThrow(/https/);
    expect(host.opened).toHaveLength(1);
  });

  // The attack: a policy file whose host list is damaged (a typo, a string instead of a list) must not
  // turn "only our video hosts" into "any https host".
  it.each([
    ['a list without one host name', { videoLinkHosts: ['https://meet.clinic.example/'] }, 'none'],
    ['a string instead of a list', { videoLinkHosts: 'meet.clinic.example' }, 'none'],
    [
      'one bad entry among good ones',
      { videoLinkHosts: ['meet.clinic.example', 'bad host!'] },
      ['meet.clinic.example'],
    ],
  ])('opens no other host when IT wrote %s', async (_what, policy, expected) => {
    const v = await visit(policy, 'https://meet.evil.example/v/1');
    const host = recordingHost();
    v.core.attachReviewHost(host);
    expect(await call(v.core, DOCTOR, 'reviews.rules', {})).toEqual({
      bpGuideline: 'acc-aha-2017',
      videoLinkHosts: expected,
    });
    await expect(
      call(v.core, DOCTOR, 'visits.openVideoLink', { encounterId: v.encounter.id }),
    ).rejects.toThrow(expected === 'none' ? /could not be read/ : /does not use meet.evil.example/);
    expect(host.opened).toEqual([]);
  });

  it('prints the calling window with who printed it and page numbers, for clinicians only', async () => {
    const v = await visit({});
    const host = recordingHost();
    v.core.attachReviewHost(host);
    const result = await call(v.core, DOCTOR, 'reviews.printSummary', {
      patientId: v.patient.id,
      encounterId: v.encounter.id,
    });
    expect(result).toEqual({ savedTo: '/summaries/x.pdf', pages: 2 });
    expect(host.printed[0]!.senderId).toBe(DOCTOR);
    expect(host.printed[0]!.footer).toMatch(
      /Printed by Test clinician \d+ \(clinician\) at \d+ \w+ \d{4}, \d\d:\d\d/,
    );
    expect(host.printed[0]!.footer).toContain(
      '<span class="pageNumber"></span> of <span class="totalPages"></span>',
    );
    await expect(call(v.core, NURSE, 'reviews.printSummary', { patientId: v.patient.id })).rejects.toThrow(
      /FORBIDDEN/,
    );
  });
});
