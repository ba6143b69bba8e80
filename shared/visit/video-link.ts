/**
 * Which telemedicine join links the app will open, at intake and at review alike: https only (the
 * visit is PHI in transit), no user name or password in the address (a "https://clinic@evil.example"
 * look-alike), and when IT's policy lists video hosts, only those hosts or their subdomains.
 */
export type VideoLinkCheck = { ok: true; url: string; host: string } | { ok: false; reason: string };

/**
 * IT's video hosts: a list (empty: any https host), or `'none'` when IT set `videoLinkHosts` but no entry of
 * it could be read. IT meant to restrict the links, so an unreadable list opens none rather than all.
 */
export type VideoHostRule = readonly string[] | 'none';

const MAX_LENGTH = 2000;

/** `allowedHosts`: IT's policy list (`videoLinkHosts`); empty or absent lets any https host through. */
export function checkVideoLink(link: string, allowedHosts: VideoHostRule = []): VideoLinkCheck {
  const text = link.trim();
  if (text.length === 0) return { ok: false, reason: 'This visit has no video link.' };
  if (text.length > MAX_LENGTH)
    return { ok: false, reason: 'The video link is too long to be a visit link.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'The video link is not a web address.' };
  }
  if (url.protocol !== 'https:')
    return { ok: false, reason: 'Only secure (https://) video links are opened.' };
  if (url.username || url.password)
    return { ok: false, reason: 'A video link with a user name or password in it is not opened.' };
  if (allowedHosts === 'none')
    return {
      ok: false,
      reason:
        "No video link is opened: the clinic's list of video hosts could not be read. Ask IT to correct videoLinkHosts in the policy file.",
    };
  const host = url.hostname.toLowerCase();
  const allowed = allowedHosts.map((h) => h.trim().toLowerCase().replace(/^\*\./, '')).filter(Boolean);
  if (allowed.length > 0 && !allowed.some((h) => host === h || host.endsWith(`.${h}`)))
    return { ok: false, reason: `The clinic does not use ${host} for video visits.` };
  return { ok: true, url: url.href, host };
}
