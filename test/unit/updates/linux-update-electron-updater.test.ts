/**
 * The whole Linux update path with electron-updater's real DebUpdater: it reads a feed served on
 * loopback, downloads the package and checks its sha512 against the feed, and on quit calls install,
 * which the guard wraps. Stand-ins, because they cannot exist in a test: the Electron app (an
 * AppAdapter object), Chromium's network stack (electron-builder's Node HTTP executor), and the last
 * step, `doInstall`, which would run dpkg as root: it only records what it was given.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import electronUpdater from 'electron-updater';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardLinuxInstall } from '../../../main/updates/linux-update-guard';
import { createLinuxUpdateGate, releasePublicKey } from '../../../main/updates/linux-update-signature';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const signer = require(path.join(root, 'build/update-signature.cjs')) as {
  publicKeyText(privateKey: KeyObject): string;
  signUpdateFile(file: string, version: string, privateKey: KeyObject): string;
};
type Callback = (error: Error | null) => void;
interface DownloadOptions {
  headers?: Record<string, string>;
  cancellationToken: {
    createPromise<T>(
      run: (resolve: (v: T) => void, reject: (e: Error) => void, onCancel: unknown) => void,
    ): Promise<T>;
  };
}
const { NodeHttpExecutor } = require('builder-util/out/nodeHttpExecutor') as {
  NodeHttpExecutor: new () => {
    doDownload(request: object, task: object, redirectCount: number): void;
  };
};
const runtime = require('builder-util-runtime') as {
  configureRequestUrl(url: URL, options: object): void;
  configureRequestOptions(options: object): void;
};
/** electron-updater's Electron executor's `download`, over Node's http instead of Chromium's. */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const request = { headers: options.headers ?? undefined, redirect: 'manual' };
      runtime.configureRequestUrl(url, request);
      runtime.configureRequestOptions(request);
      const callback: Callback = (error) => (error ? reject(error) : resolve(destination));
      this.doDownload(request, { destination, options, onCancel, callback, responseHandler: null }, 0);
    });
  }
}

const DEB = 'vitals-desk_1.2.0_amd64.deb';
let dir: string;
let feedDir: string;
let server: Server;
let feedUrl: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-updater-'));
  feedDir = path.join(dir, 'feed');
  mkdirSync(feedDir);
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').split('?')[0]?.replace(/^\/desktop\//, '') ?? '');
    const file = path.join(feedDir, path.basename(name));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/desktop`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** The feed's latest-linux.yml describing `bytes` truthfully (a hostile feed does that too). */
function serveRelease(bytes: string): void {
  writeFileSync(path.join(feedDir, DEB), bytes);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  writeFileSync(
    path.join(feedDir, 'latest-linux.yml'),
    `version: 1.2.0\nfiles:\n  - url: ${DEB}\n    sha512: ${sha512}\n    size: ${Buffer.byteLength(bytes)}\npath: ${DEB}\nsha512: ${sha512}\nreleaseDate: '2026-12-01T00:00:00.000Z'\n`,
  );
}

/** An installed copy of 1.0.0 built with `publicText`, checking the feed, then quitting. */
async function runUpdate(publicText: string) {
  writeFileSync(
    path.join(dir, 'app-update.yml'),
    `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: vitals-desk-test-updater\n`,
  );
  const quitHandlers: ((exitCode: number) => void)[] = [];
  const updater = new electronUpdater.DebUpdater(undefined, {
    version: '1.0.0',
    name: 'vitals-desk',
    isPackaged: true,
    appUpdateConfigPath: path.join(dir, 'app-update.yml'),
    userDataPath: path.join(dir, 'user'),
    baseCachePath: path.join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: (handler) => quitHandlers.push(handler),
  });
  Object.assign(updater, { httpExecutor: new NodeDownloadExecutor() });
  updater.logger = null;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  const installed: (string | null)[] = [];
  Object.assign(updater, {
    doInstall: () => {
      installed.push((updater as unknown as { installerPath: string | null }).installerPath);
      return true;
    },
  });
  const logged: { event: string; fields?: object }[] = [];
  const logger = {
    info: (event: string, fields?: object) => logged.push({ event, fields }),
    warn: (event: string, fields?: object) => logged.push({ event, fields }),
  };
  const gate = createLinuxUpdateGate({ publicKey: releasePublicKey(publicText), feedUrl, fetch });
  guardLinuxInstall(updater, gate, logger);

  const downloaded = new Promise<string>((resolve) =>
    updater.on('update-downloaded', (info) => resolve(info.downloadedFile)),
  );
  const result = await updater.checkForUpdates();
  expect(result?.updateInfo.version).toBe('1.2.0');
  await result?.downloadPromise;
  const file = await downloaded;
  // Verifying the download may take more than vi.waitFor's default second on a busy machine.
  await vi.waitFor(
    () => expect(logged.map((l) => l.event)).toContainEqual(expect.stringMatching(/verified|refused/)),
    { timeout: 15_000 },
  );
  // The app quits normally: electron-updater's quit handler installs.
  expect(quitHandlers).toHaveLength(1);
  quitHandlers[0]?.(0);
  return { installed, logged, file };
}

describe('electron-updater with the Linux signature guard', () => {
  it('a signed release is downloaded, verified and installed on quit', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    serveRelease('genuine deb 1.2.0');
    signer.signUpdateFile(path.join(feedDir, DEB), '1.2.0', privateKey);
    const { installed, logged, file } = await runUpdate(signer.publicKeyText(privateKey));
    expect(installed).toEqual([file]);
    expect(logged).toEqual([{ event: 'updates.verified', fields: { version: '1.2.0' } }]);
  });

  it('a hostile feed serving its own package (feed sha512 matching it) with the genuine signature: refused, deleted, not installed', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    serveRelease('genuine deb 1.2.0');
    const genuineSig = readFileSync(signer.signUpdateFile(path.join(feedDir, DEB), '1.2.0', privateKey));
    serveRelease('attacker deb 1.2.0');
    writeFileSync(path.join(feedDir, `${DEB}.sig`), genuineSig);
    const { installed, logged, file } = await runUpdate(signer.publicKeyText(privateKey));
    expect(installed).toEqual([]);
    expect(logged).toContainEqual({
      event: 'updates.refused',
      fields: { version: '1.2.0', reason: 'digest-mismatch' },
    });
    expect(logged).toContainEqual({ event: 'updates.refused', fields: { reason: 'not-verified' } });
    expect(existsSync(file)).toBe(false);
  });

  it('a package signed with another key, or with no signature: refused, not installed', async () => {
    const release = generateKeyPairSync('ed25519').privateKey;
    serveRelease('attacker deb 1.2.0');
    signer.signUpdateFile(path.join(feedDir, DEB), '1.2.0', generateKeyPairSync('ed25519').privateKey);
    const foreign = await runUpdate(signer.publicKeyText(release));
    expect(foreign.installed).toEqual([]);
    expect(foreign.logged[0]).toEqual({
      event: 'updates.refused',
      fields: { version: '1.2.0', reason: 'bad-signature' },
    });

    rmSync(path.join(feedDir, `${DEB}.sig`));
    rmSync(path.join(dir, 'cache'), { recursive: true, force: true });
    const unsigned = await runUpdate(signer.publicKeyText(release));
    expect(unsigned.installed).toEqual([]);
    expect(unsigned.logged[0]).toEqual({
      event: 'updates.refused',
      fields: { version: '1.2.0', reason: 'signature-unavailable' },
    });
  });
});
