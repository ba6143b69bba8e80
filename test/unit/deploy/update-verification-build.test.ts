/**
 * What a release build must carry for installed copies to verify their updates: the Windows publisher
 * name (electron-updater's Authenticode check) and, for Linux, the update key. Checked through the
 * configuration `npm run dist` hands to electron-builder, and through the Linux hook run on stand-in
 * packages with a key generated here.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBuilderArgs, missingSigning } from '../../../scripts/dist.mjs';
import { createLinuxUpdateGate, releasePublicKey } from '../../../main/updates/linux-update-signature';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
const { publicKeyText } = require(path.join(root, 'build/update-signature.cjs')) as {
  publicKeyText(key: KeyObject): string;
};
type Run = (command: string, args: string[], options: object) => void;
const { signLinuxWith } = require(path.join(root, 'build/sign-linux.cjs')) as {
  signLinuxWith(
    result: { artifactPaths: string[]; packager?: { appInfo: { version: string } }; configuration?: object },
    env: Record<string, string>,
    run: Run,
  ): Promise<string[]>;
};

const WIN = { CSC_LINK: '/secrets/authenticode.pfx', CSC_KEY_PASSWORD: 'pw' };

describe('Windows release build and the publisher name', () => {
  it('is refused without WIN_PUBLISHER_NAME (blank counts as missing)', () => {
    for (const env of [WIN, { ...WIN, WIN_PUBLISHER_NAME: '  ' }]) {
      expect(() => electronBuilderArgs({ targets: ['win'], release: true, env })).toThrow(
        /Windows release build refused: set WIN_PUBLISHER_NAME/,
      );
    }
    expect(missingSigning('win', WIN).map((m) => m.variables)).toContainEqual(['WIN_PUBLISHER_NAME']);
  });

  it('with it, the publisher is set and electron-updater is told to check it', () => {
    const args = electronBuilderArgs({
      targets: ['win'],
      release: true,
      env: { ...WIN, WIN_PUBLISHER_NAME: 'Vitals Desk Ltd' },
    });
    expect(args).toEqual(
      expect.arrayContaining([
        '--config.forceCodeSigning=true',
        '--config.win.signtoolOptions.publisherName=Vitals Desk Ltd',
        '--config.win.verifyUpdateCodeSignature=true',
      ]),
    );
  });

  it('a development build or a build for other systems does not need it', () => {
    expect(() => electronBuilderArgs({ targets: ['win'], release: false, env: {} })).not.toThrow();
    expect(() => electronBuilderArgs({ targets: ['linux'], release: true, env: {} })).not.toThrow();
  });
});

describe('Linux update key in the build', () => {
  it('the public key is baked into the packaged app, and a malformed one stops the build', () => {
    const key = publicKeyText(generateKeyPairSync('ed25519').privateKey);
    expect(
      electronBuilderArgs({ targets: ['linux'], release: true, env: { VITALS_UPDATE_PUBLIC_KEY: key } }),
    ).toContain(`--config.extraMetadata.updateSigningKey=${key}`);
    expect(() =>
      electronBuilderArgs({ targets: ['linux'], release: true, env: { VITALS_UPDATE_PUBLIC_KEY: 'abc' } }),
    ).toThrow(/not an Ed25519 public key/);
  });

  it('a Linux release needs the signing key and its public key', () => {
    expect(missingSigning('linux', { GPG_KEY_ID: 'K' })).toEqual([
      expect.objectContaining({ variables: ['VITALS_UPDATE_SIGNING_KEY', 'VITALS_UPDATE_PUBLIC_KEY'] }),
    ]);
    expect(
      missingSigning('linux', {
        GPG_KEY_ID: 'K',
        VITALS_UPDATE_SIGNING_KEY: 'pem',
        VITALS_UPDATE_PUBLIC_KEY: 'k',
      }),
    ).toEqual([]);
  });
});

describe('the Linux packaging hook signs updates', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-hook-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <file>.sig that the app verifies with the baked-in key (round trip); gpg stood in for', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const publicKey = publicKeyText(privateKey);
    const deb = path.join(dir, 'vitals-desk_1.2.0_amd64.deb');
    const rpm = path.join(dir, 'vitals-desk-1.2.0.x86_64.rpm');
    writeFileSync(deb, 'deb bytes');
    writeFileSync(rpm, 'rpm bytes');
    const env = {
      GPG_KEY_ID: 'K',
      VITALS_UPDATE_SIGNING_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    const added = await signLinuxWith(
      {
        artifactPaths: [deb, rpm, path.join(dir, 'latest-linux.yml')],
        packager: { appInfo: { version: '1.2.0' } },
        configuration: { extraMetadata: { updateSigningKey: publicKey } },
      },
      env,
      () => undefined,
    );
    expect(added).toEqual(expect.arrayContaining([`${deb}.sig`, `${rpm}.sig`]));
    expect(added).not.toContain(path.join(dir, 'latest-linux.yml.sig'));
    // The private key never lands in what is published.
    expect(readFileSync(`${deb}.sig`, 'utf8')).not.toContain('PRIVATE');

    // Served as a feed through a stand-in fetch reading the output folder.
    const feed: typeof fetch = (url) =>
      Promise.resolve(
        new Response(readFileSync(path.join(dir, path.basename(new URL(String(url)).pathname)))),
      );
    const gate = createLinuxUpdateGate({
      publicKey: releasePublicKey(publicKey),
      feedUrl: 'https://updates.example/desktop',
      fetch: feed,
    });
    expect(await gate.prepare({ file: deb, version: '1.2.0' })).toEqual({ ok: true });
    expect(gate.mayInstall(deb)).toEqual({ ok: true });
  });

  it('release mode without the update key fails; a key that does not match the baked one fails', async () => {
    const deb = path.join(dir, 'a.deb');
    writeFileSync(deb, 'x');
    const result = { artifactPaths: [deb], packager: { appInfo: { version: '1.2.0' } } };
    await expect(
      signLinuxWith(result, { GPG_KEY_ID: 'K', VITALS_RELEASE: '1' }, () => undefined),
    ).rejects.toThrow(/VITALS_UPDATE_SIGNING_KEY is not set/);
    await expect(signLinuxWith(result, { GPG_KEY_ID: 'K' }, () => undefined)).resolves.toHaveLength(3);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const other = publicKeyText(generateKeyPairSync('ed25519').privateKey);
    await expect(
      signLinuxWith(
        { ...result, configuration: { extraMetadata: { updateSigningKey: other } } },
        { VITALS_UPDATE_SIGNING_KEY: pem },
        () => undefined,
      ),
    ).rejects.toThrow(/does not match/);
  });
});
