import { describe, expect, it } from 'vitest';
import { checkVideoLink } from '../../../shared/visit/video-link';

describe('video link rule', () => {
  it('opens an https join link and names its host', () => {
    expect(checkVideoLink(' https://meet.clinic.example/v/8841?pwd=x ')).toEqual({
      ok: true,
      url: 'https://meet.clinic.example/v/8841?pwd=x',
      host: 'meet.clinic.example',
    });
  });

  it.each([
    ['http://meet.clinic.example/v/1', 'Only secure (https://)'],
    ['javascript:alert(1)', 'Only secure (https://)'],
    ['file:///etc/passwd', 'Only secure (https://)'],
    ['zoommtg://zoom.us/join?confno=1', 'Only secure (https://)'],
    ['https://meet.clinic.example@evil.example/v/1', 'user name or password'],
    ['meet.clinic.example/v/1', 'not a web address'],
    ['', 'no video link'],
    [`https://a.example/${'x'.repeat(2000)}`, 'too long'],
  ])('refuses %s', (link, reason) => {
    const result = checkVideoLink(link);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("keeps to the policy's hosts and their subdomains when IT lists them", () => {
    const hosts = ['clinic.example', '*.video.example'];
    expect(checkVideoLink('https://clinic.example/v/1', hosts).ok).toBe(true);
    expect(checkVideoLink('https://eu.meet.clinic.example/v/1', hosts).ok).toBe(true);
    expect(checkVideoLink('https://room.video.example/v/1', hosts).ok).toBe(true);
    const lookAlike = checkVideoLink('https://evilclinic.example/v/1', hosts);
    expect(lookAlike).toEqual({
      ok: false,
      reason: 'The clinic does not use evilclinic.example for video visits.',
    });
    expect(checkVideoLink('https://clinic.example.evil.test/v/1', hosts).ok).toBe(false);
  });

  it("opens no link at all when IT's host list could not be read", () => {
    const result = checkVideoLink('https://meet.clinic.example/v/1', 'none');
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('could not be read') });
    // The link's own faults are still named first.
    expect(checkVideoLink('http://meet.clinic.example/v/1', 'none')).toEqual({
      ok: false,
      reason: expect.stringContaining('Only secure'),
    });
  });
});
