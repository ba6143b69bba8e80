/**
 * The Electron shell's security settings. Electron's binary cannot run here, so `electron` objects are
 * replaced by small test doubles that record what the shell asks of them (WebContents, Session,
 * ipcMain, protocol). The code under test is the real shell code, type-checked against electron.d.ts.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent, Protocol, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../main/app/window';
import { denyAllPermissions, hardenWebContents } from '../../../main/app/harden';
import { isTrustedSender, wireIpc } from '../../../main/app/ipc';
import { serveRenderer } from '../../../main/app/protocol';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from '../../../main/security/content-security-policy';
import { INVOKE_CHANNEL } from '../../../shared/ipc/transport';
import { readFileSync } from 'node:fs';

describe('main window options', () => {
  const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
  it('isolates and sandboxes the renderer', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });
});

class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function fire(contents: FakeWebContents, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('web contents hardening', () => {
  it('blocks navigation and redirects away from the app, and every new window and webview', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents);
    expect(fire(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire(contents, 'will-navigate', `${APP_ORIGIN}/index.html#/review`)).toBe(false);
    expect(fire(contents, 'will-redirect', 'http://vitals-desk/')).toBe(true);
    expect(fire(contents, 'will-attach-webview', 'x')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: `${APP_ORIGIN}/x` })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('denies every permission request and check, and device choosers', () => {
    const session = new EventEmitter() as EventEmitter & Record<string, unknown>;
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let deviceHandler: (() => boolean) | undefined;
    session.setPermissionRequestHandler = (h: typeof requestHandler) => (requestHandler = h);
    session.setPermissionCheckHandler = (h: typeof checkHandler) => (checkHandler = h);
    session.setDevicePermissionHandler = (h: typeof deviceHandler) => (deviceHandler = h);
    denyAllPermissions(session as unknown as Session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'serial',
      'hid',
      'bluetooth',
      'clipboard-read',
    ]) {
      let granted: boolean | undefined;
      requestHandler?.({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
    }
    expect(checkHandler?.()).toBe(false);
    expect(deviceHandler?.()).toBe(false);
    let chosen: string | undefined;
    let prevented = false;
    session.emit(
      'select-serial-port',
      { preventDefault: () => (prevented = true) },
      [{ portId: '1' }],
      {},
      (id: string) => (chosen = id),
    );
    expect(prevented).toBe(true);
    expect(chosen).toBe('');
  });
});

describe('IPC sender check', () => {
  const frame = (url: string, parent: unknown = null) =>
    ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;
  it('accepts only the app top-level frame', () => {
    expect(isTrustedSender(frame(`${APP_ORIGIN}/index.html`))).toBe(true);
    expect(isTrustedSender(frame('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(frame('app://other-host/index.html'))).toBe(false);
    expect(isTrustedSender(frame(`${APP_ORIGIN}/index.html`, { url: APP_ORIGIN }))).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as unknown as IpcMainInvokeEvent)).toBe(false);
  });

  it('refuses an untrusted sender before the core runs anything', async () => {
    const calls: unknown[] = [];
    let handler: ((event: unknown, channel: unknown, request: unknown) => Promise<unknown>) | undefined;
    wireIpc(
      {
        handle: (name: string, h: typeof handler) => (expect(name).toBe(INVOKE_CHANNEL), (handler = h)),
      } as never,
      { invoke: async (...args: unknown[]) => (calls.push(args), { ok: true, value: null }) },
    );
    const bad = await handler?.(
      { senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 1 } },
      'app.health',
      {},
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(calls).toHaveLength(0);
    const good = await handler?.(
      { senderFrame: { url: `${APP_ORIGIN}/`, parent: null }, sender: { id: 7 } },
      'app.health',
      {},
    );
    expect(good).toEqual({ ok: true, value: null });
    expect(calls).toEqual([['app.health', {}, { senderId: 'webcontents-7' }]]);
  });
});

describe('app:// protocol', () => {
  it('serves the renderer with the CSP header and never a file outside it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'vd-proto-'));
    const rendererDir = path.join(root, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<html></html>');
    writeFileSync(path.join(root, 'secret.txt'), 'db key');
    let handler: ((request: Request) => Promise<Response>) | undefined;
    serveRenderer(
      { handle: (_scheme: string, h: typeof handler) => (handler = h) } as unknown as Protocol,
      rendererDir,
    );
    const ok = await handler!(new Request(`${APP_ORIGIN}/`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await ok.text()).toBe('<html></html>');
    for (const url of [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/..%2fsecret.txt`,
      'app://elsewhere/index.html',
    ]) {
      const res = await handler!(new Request(url));
      expect(res.status, url).toBe(404);
    }
  });

  it('CSP forbids inline and remote scripts, and index.html carries the same policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors is ignored in a meta tag, so the meta policy is the header policy without it.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
});
