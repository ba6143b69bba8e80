import type { Session, WebContents } from 'electron';
import { isAppUrl } from '../security/content-security-policy';

/**
 * Locks down every web contents the app creates: no navigation away from the app, no new windows,
 * no <webview>. A clinic workstation never browses.
 */
export function hardenWebContents(
  contents: WebContents,
  appOrigin?: string,
  options: { devTools: boolean } = { devTools: false },
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Belt and braces with webPreferences.devTools: if DevTools open anyway, close them.
  if (!options.devTools) contents.on('devtools-opened', () => contents.closeDevTools());
}

/**
 * Denies every permission request (camera, microphone, notifications, Web Serial, Web Bluetooth, ...).
 * Devices are reached by main only; the video visit runs in the telemedicine vendor's own client.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}
