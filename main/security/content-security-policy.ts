/**
 * The renderer's Content-Security-Policy, sent as a header by every host (Electron's app:// protocol,
 * the Chromium host) and repeated in index.html. Nothing but the app's own files may load or run:
 * no inline scripts, no eval, no remote connections (main talks to the network, the renderer never does).
 * `data:` images are allowed for the TOTP enrolment QR code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The renderer is served from this origin in Electron (a custom protocol, not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vitals-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True when a URL belongs to the app itself (same scheme and host). */
export function isAppUrl(url: string, origin: string = APP_ORIGIN): boolean {
  try {
    const parsed = new URL(url);
    const expected = new URL(origin);
    return parsed.protocol === expected.protocol && parsed.host === expected.host;
  } catch {
    return false;
  }
}
