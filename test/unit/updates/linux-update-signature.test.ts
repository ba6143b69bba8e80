/**
 * Linux update signatures: signed by the release pipeline's hook (build/update-signature.cjs) with a key
 * generated here, checked by the app's gate (main/updates/linux-update-signature.ts) against a feed
 * served on loopback. Each attack must end with the gate refusing and the stand-in install never called
 * (electron-updater's real install needs a running Electron app and root for dpkg/rpm).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLinuxUpdateGate,
  feedUrlFromAppUpdateYml,
  releasePublicKey,
  signatureUrl,
  type Verdict,
} from '../../../main/updates/linux-update-signature';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const signer = require(path.join(root, 'build/update-signature.cjs')) as {
  publicKeyText(privateKey: KeyObject): string;
  signUpdateFile(file: string, version: string, privateKey: KeyObject): string;
  signUpdateFiles(
    files: string[],
    version: string,
    env: Record<string, string>,
    expected?: string,
  ): string[] | null;
};

function newKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicText: signer.publicKeyText(privateKey) };
}

const APPIMAGE = 'Vitals-Desk-1.2.0-x86_64.AppImage';
const DEB = 'vitals-desk_1.2.0_amd64.deb';

/** A feed directory (what the release pipeline publishes) served on 127.0.0.1. */
let feedDir: string;
let downloadDir: string;
let server: Server;
let feedUrl: string;
const requests: string[] = [];

beforeEach(async () => {
  feedDir = mkdtempSync(path.join(os.tmpdir(), 'vitals-feed-'));
  downloadDir = mkdtempSync(path.join(os.tmpdir(), 'vitals-download-'));
  requests.length = 0;
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/desktop/elsewhere.sig') {
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/x.sig` });
      res.end();
      return;
    }
    const file = path.join(feedDir, decodeURIComponent((req.url ?? '').replace(/^\/desktop\//, '')));
    if (!file.startsWith(feedDir) || !existsSync(file)) {
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
  rmSync(feedDir, { recursive: true, force: true });
  rmSync(downloadDir, { recursive: true, force: true });
});

/** The release: package bytes in the feed, signed with `privateKey`. */
function publish(name: string, bytes: string, version: string, privateKey: KeyObject): void {
  writeFileSync(path.join(feedDir, name), bytes);
  signer.signUpdateFile(path.join(feedDir, name), version, privateKey);
}

/** What electron-updater leaves in its cache after a download whose sha512 matched the feed. */
function download(name: string, bytes?: string): string {
  const file = path.join(downloadDir, name);
  writeFileSync(file, bytes ?? readFileSync(path.join(feedDir, name)));
  return file;
}

/** The app's flow: verify when the download finishes, then install only if the gate allows it at install time. */
async function updateFlow(publicText: string, file: string, version: string) {
  const gate = createLinuxUpdateGate({ publicKey: releasePublicKey(publicText), feedUrl, fetch });
  const installed: string[] = [];
  const prepared = await gate.prepare({ file, version });
  const atInstall = gate.mayInstall(file);
  if (atInstall.ok) installed.push(file);
  return { prepared, atInstall, installed, gate };
}

const refused = (reason: string): Verdict => ({ ok: false, reason }) as Verdict;

describe('Linux update signature (release key round trip)', () => {
  it('a genuine release file, signed by the release key, is verified and installed', async () => {
    const release = newKey();
    publish(APPIMAGE, 'genuine appimage v1.2.0', '1.2.0', release.privateKey);
    const file = download(APPIMAGE);
    const result = await updateFlow(release.publicText, file, '1.2.0');
    expect(result.prepared).toEqual({ ok: true });
    expect(result.installed).toEqual([file]);
    expect(requests).toEqual([`/desktop/${APPIMAGE}.sig`]);
  });

  it('a tampered file (one byte changed after signing) is refused and nothing is installed', async () => {
    const release = newKey();
    publish(DEB, 'genuine deb v1.2.0', '1.2.0', release.privateKey);
    const file = download(DEB, 'genuine deb v1.2.1');
    const result = await updateFlow(release.publicText, file, '1.2.0');
    expect(result.prepared).toEqual(refused('digest-mismatch'));
    expect(result.installed).toEqual([]);
  });

  it('a file changed on disk between the check and the install is refused at install', async () => {
    const release = newKey();
    publish(DEB, 'genuine deb v1.2.0', '1.2.0', release.privateKey);
    const file = download(DEB);
    const gate = createLinuxUpdateGate({ publicKey: releasePublicKey(release.publicText), feedUrl, fetch });
    expect(await gate.prepare({ file, version: '1.2.0' })).toEqual({ ok: true });
    writeFileSync(file, 'swapped after the check');
    expect(gate.mayInstall(file)).toEqual(refused('digest-mismatch'));
    expect(gate.mayInstall(path.join(downloadDir, 'other.deb'))).toEqual(refused('not-verified'));
  });

  it('a swapped signature (the genuine signature of another release file) is refused', async () => {
    const release = newKey();
    publish(DEB, 'genuine deb v1.2.0', '1.2.0', release.privateKey);
    publish(APPIMAGE, 'genuine appimage v1.2.0', '1.2.0', release.privateKey);
    writeFileSync(path.join(feedDir, `${DEB}.sig`), readFileSync(path.join(feedDir, `${APPIMAGE}.sig`)));
    const result = await updateFlow(release.publicText, download(DEB), '1.2.0');
    expect(result.prepared).toEqual(refused('wrong-file'));
    expect(result.installed).toEqual([]);
  });

  it('a signature whose fields are edited to name this file is refused by the key', async () => {
    const release = newKey();
    publish(APPIMAGE, 'genuine appimage v1.2.0', '1.2.0', release.privateKey);
    // The attacker's file, with a .sig claiming its name and digest but carrying another file's signature.
    const evil = path.join(feedDir, DEB);
    writeFileSync(evil, 'attacker deb');
    const theirs = JSON.parse(
      readFileSync(signer.signUpdateFile(evil, '1.2.0', newKey().privateKey), 'utf8'),
    ) as Record<string, string>;
    const genuine = JSON.parse(readFileSync(path.join(feedDir, `${APPIMAGE}.sig`), 'utf8')) as Record<
      string,
      string
    >;
    writeFileSync(`${evil}.sig`, JSON.stringify({ ...theirs, signature: genuine.signature }));
    const result = await updateFlow(release.publicText, download(DEB), '1.2.0');
    expect(result.prepared).toEqual(refused('bad-signature'));
    expect(result.installed).toEqual([]);
  });

  it('a file signed with another key is refused', async () => {
    const release = newKey();
    const attacker = newKey();
    publish(APPIMAGE, 'attacker appimage', '1.2.0', attacker.privateKey);
    const result = await updateFlow(release.publicText, download(APPIMAGE), '1.2.0');
    expect(result.prepared).toEqual(refused('bad-signature'));
    expect(result.installed).toEqual([]);
    // The same files pass under the attacker's own key: only the key made the difference.
    expect((await updateFlow(attacker.publicText, download(APPIMAGE), '1.2.0')).installed).toHaveLength(1);
  });

  it('an older genuine release offered as a newer version is refused (signature binds the version)', async () => {
    const release = newKey();
    publish(APPIMAGE, 'genuine appimage v1.0.0 with a known flaw', '1.0.0', release.privateKey);
    const result = await updateFlow(release.publicText, download(APPIMAGE), '9.9.9');
    expect(result.prepared).toEqual(refused('wrong-version'));
    expect(result.installed).toEqual([]);
  });

  it('without a baked-in key nothing is installed, whatever the feed says', async () => {
    const release = newKey();
    publish(APPIMAGE, 'genuine appimage', '1.2.0', release.privateKey);
    for (const baked of [undefined, '', 'not-a-key', `${release.publicText}x`]) {
      expect(releasePublicKey(baked)).toBeNull();
      const result = await updateFlow(baked as string, download(APPIMAGE), '1.2.0');
      expect(result.prepared).toEqual(refused('no-signing-key'));
      expect(result.installed).toEqual([]);
    }
  });
});

describe('a hostile feed', () => {
  it('no signature beside the file: refused', async () => {
    const release = newKey();
    writeFileSync(path.join(feedDir, APPIMAGE), 'unsigned appimage');
    const result = await updateFlow(release.publicText, download(APPIMAGE), '1.2.0');
    expect(result.prepared).toEqual(refused('signature-unavailable'));
    expect(result.installed).toEqual([]);
  });

  it('garbage, oversized, or extra-field signature files: refused', async () => {
    const release = newKey();
    publish(APPIMAGE, 'genuine appimage', '1.2.0', release.privateKey);
    const sigFile = path.join(feedDir, `${APPIMAGE}.sig`);
    const genuine = JSON.parse(readFileSync(sigFile, 'utf8')) as Record<string, string>;
    const cases: [string, string][] = [
      ['not json', 'malformed-signature'],
      [JSON.stringify({ ...genuine, format: 'other/1' }), 'malformed-signature'],
      [JSON.stringify({ ...genuine, trusted: true }), 'malformed-signature'],
      [JSON.stringify({ ...genuine, signature: 'AAAA' }), 'malformed-signature'],
      [JSON.stringify({ ...genuine, pad: 'x'.repeat(10_000) }), 'signature-unavailable'],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(sigFile, text);
      const result = await updateFlow(release.publicText, download(APPIMAGE), '1.2.0');
      expect([text.slice(0, 30), result.prepared]).toEqual([text.slice(0, 30), refused(reason)]);
      expect(result.installed).toEqual([]);
    }
  });

  it('a redirect for the signature is not followed', async () => {
    const release = newKey();
    publish('elsewhere', 'genuine', '1.2.0', release.privateKey);
    const result = await updateFlow(release.publicText, download('elsewhere'), '1.2.0');
    expect(result.prepared).toEqual(refused('signature-unavailable'));
    expect(requests).toEqual(['/desktop/elsewhere.sig']);
  });

  it('the signature is always fetched from the configured feed, by the file name only', () => {
    expect(signatureUrl('https://updates.example/desktop', DEB).toString()).toBe(
      `https://updates.example/desktop/${DEB}.sig`,
    );
    expect(signatureUrl('https://updates.example/desktop/', '../../x y').toString()).toBe(
      'https://updates.example/desktop/..%2F..%2Fx%20y.sig',
    );
    expect(signatureUrl('https://updates.example/d', '//evil.example/a').origin).toBe(
      'https://updates.example',
    );
  });
});

describe('the build feed from app-update.yml', () => {
  it('reads the generic provider over HTTPS only', () => {
    expect(
      feedUrlFromAppUpdateYml(
        'provider: generic\nurl: https://updates.vitals-desk.example/desktop\nchannel: latest\nupdaterCacheDirName: vitals-desk-updater\n',
      ),
    ).toBe('https://updates.vitals-desk.example/desktop');
    expect(feedUrlFromAppUpdateYml('provider: generic\nurl: http://updates.example/desktop\n')).toBeNull();
    expect(feedUrlFromAppUpdateYml('provider: github\nurl: https://updates.example/desktop\n')).toBeNull();
    expect(feedUrlFromAppUpdateYml('')).toBeNull();
  });
});

describe('the signing script', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-sign-'));
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the private key from VITALS_UPDATE_SIGNING_KEY (PEM or base64 of it) and checks it against the public key', async () => {
    const release = newKey();
    const pem = release.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const file = path.join(feedDir, APPIMAGE);
    writeFileSync(file, 'release bytes');
    for (const encoded of [pem, Buffer.from(pem).toString('base64')]) {
      expect(
        signer.signUpdateFiles([file], '1.2.0', { VITALS_UPDATE_SIGNING_KEY: encoded }, release.publicText),
      ).toEqual([`${file}.sig`]);
      expect((await updateFlow(release.publicText, download(APPIMAGE), '1.2.0')).installed).toHaveLength(1);
    }
    expect(() =>
      signer.signUpdateFiles([file], '1.2.0', { VITALS_UPDATE_SIGNING_KEY: pem }, newKey().publicText),
    ).toThrow(/does not match VITALS_UPDATE_PUBLIC_KEY/);
    expect(() => signer.signUpdateFiles([file], '1.2.0', { VITALS_UPDATE_SIGNING_KEY: pem })).toThrow(
      /VITALS_UPDATE_PUBLIC_KEY is not set/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => signer.signUpdateFiles([file], '1.2.0', { VITALS_UPDATE_SIGNING_KEY: rsa }, 'x')).toThrow(
      /Ed25519/,
    );
    expect(signer.signUpdateFiles([file], '1.2.0', {}, release.publicText)).toBeNull();
  });
});

describe('the signing command for a release pipeline', () => {
  it('prints the public key and signs files from VITALS_UPDATE_SIGNING_KEY; the app verifies them', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const cli = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, [path.join(root, 'build/update-signature.cjs'), ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
      });
    const printed = cli(['public-key'], { VITALS_UPDATE_SIGNING_KEY: pem });
    expect(printed.status).toBe(0);
    const publicText = printed.stdout.trim();
    expect(publicText).toBe(signer.publicKeyText(privateKey));
    expect(printed.stdout).not.toContain('PRIVATE');

    writeFileSync(path.join(feedDir, DEB), 'release deb');
    const signed = cli(['sign', '--version', '1.2.0', path.join(feedDir, DEB)], {
      VITALS_UPDATE_SIGNING_KEY: pem,
      VITALS_UPDATE_PUBLIC_KEY: publicText,
    });
    expect(signed.status).toBe(0);
    expect(signed.stdout.trim()).toBe(path.join(feedDir, `${DEB}.sig`));
    expect((await updateFlow(publicText, download(DEB), '1.2.0')).installed).toHaveLength(1);

    const unset = cli(['sign', '--version', '1.2.0', path.join(feedDir, DEB)], {});
    expect(unset.status).toBe(1);
    expect(unset.stderr).toContain('VITALS_UPDATE_SIGNING_KEY');
  });
});
