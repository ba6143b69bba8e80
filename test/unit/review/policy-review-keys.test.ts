import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../main/policy/load';

describe("the review's policy keys", () => {
  it('takes the blood-pressure guideline and the video hosts from IT, locked', () => {
    const loaded = parsePolicy(
      JSON.stringify({
        bpGuideline: 'esc-esh-2023',
        videoLinkHosts: ['meet.clinic.example', '*.video.example'],
      }),
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.policy.bpGuideline).toBe('esc-esh-2023');
    expect(loaded.policy.videoLinkHosts).toEqual(['meet.clinic.example', '*.video.example']);
    expect(loaded.lockedFields).toEqual(expect.arrayContaining(['bpGuideline', 'videoLinkHosts']));
  });

  it('names a guideline it does not know and keeps the default, and opens no video host for a bad list', () => {
    const loaded = parsePolicy(
      JSON.stringify({ bpGuideline: 'jnc7', videoLinkHosts: ['https://x.example/'] }),
    );
    expect(loaded.policy.bpGuideline).toBeUndefined();
    // A host list IT wrote but nobody can read allows no host, never every host.
    expect(loaded.policy.videoLinkHosts).toBe('none');
    expect(loaded.problems.map((p) => p.field)).toEqual(['bpGuideline', 'videoLinkHosts']);
    expect(loaded.problems[1]!.message).toMatch(/safe default applies/);
  });
});
