/** The Windows and Linux signing hooks, as plans (what they would run) and, for Linux, run against a stand-in gpg. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');

type Plan =
  | { kind: 'skip'; reason: string }
  | {
      kind: 'azure' | 'store' | 'pfx';
      command: string;
      args: string[];
      azureMetadata?: Record<string, string>;
    };
type SignWindowsConfiguration = { path: string; cscInfo?: { file: string; password: string | null } | null };
const windowsHook = require(path.join(root, 'build/sign-windows.cjs')) as ((
  configuration: SignWindowsConfiguration,
  packager?: object,
) => Promise<void>) & {
  planWindowsSigning(
    env: Record<string, string>,
    file: string,
    options?: { metadataFile?: string; certificateFile?: string; certificatePassword?: string | null },
  ): Plan;
  signWindowsWith(configuration: SignWindowsConfiguration, env: Record<string, string>): Promise<void>;
};
const { planWindowsSigning } = windowsHook;
type Run = (command: string, args: string[], options: object) => void;
type SignLinux = ((result: { artifactPaths: string[] }) => Promise<string[]>) & {
  signLinuxWith(
    result: { artifactPaths: string[] },
    env: Record<string, string>,
    run: Run,
  ): Promise<string[]>;
  gpgDetachSignArgs(env: Record<string, string>, file: string): string[];
};
const linuxHook = require(path.join(root, 'build/sign-linux.cjs')) as SignLinux;
const signLinux = linuxHook.signLinuxWith;

describe('Windows signing plan', () => {
  const exe = 'C:\\build\\Vitals Desk.exe';

  it('nothing configured: skip (the hook then fails only in release mode)', () => {
    expect(planWindowsSigning({}, exe)).toEqual({ kind: 'skip', reason: expect.any(String) });
  });

  it('a .pfx from CSC_LINK: SHA-256 with an RFC 3161 timestamp', () => {
    const plan = planWindowsSigning({ CSC_LINK: 'cert.pfx', CSC_KEY_PASSWORD: 'pw' }, exe);
    expect(plan).toEqual({
      kind: 'pfx',
      command: 'signtool.exe',
      args: [
        'sign',
        '/fd',
        'SHA256',
        '/td',
        'SHA256',
        '/tr',
        'http://timestamp.digicert.com',
        '/f',
        'cert.pfx',
        '/p',
        'pw',
        exe,
      ],
    });
  });

  it('a .pfx without its password is refused', () => {
    expect(() => planWindowsSigning({ CSC_LINK: 'cert.pfx' }, exe)).toThrow(/CSC_KEY_PASSWORD/);
  });

  it('a certificate from the store by thumbprint, with signtool from SIGNTOOL_PATH', () => {
    const plan = planWindowsSigning({ WIN_CERT_SHA1: 'ab12', SIGNTOOL_PATH: 'D:\\kits\\signtool.exe' }, exe);
    expect(plan.kind).toBe('store');
    if (plan.kind === 'skip') return;
    expect(plan.command).toBe('D:\\kits\\signtool.exe');
    expect(plan.args.slice(-3)).toEqual(['/sha1', 'ab12', exe]);
  });

  it('Azure Trusted Signing wins over a certificate, through the dlib and its metadata', () => {
    const plan = planWindowsSigning(
      {
        AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net',
        AZURE_TRUSTED_SIGNING_ACCOUNT: 'clinic-signing',
        AZURE_TRUSTED_SIGNING_PROFILE: 'vitals-desk',
        AZURE_TRUSTED_SIGNING_DLIB: 'C:\\tools\\Azure.CodeSigning.Dlib.dll',
        CSC_LINK: 'cert.pfx',
        CSC_KEY_PASSWORD: 'pw',
      },
      exe,
      { metadataFile: 'C:\\tmp\\metadata.json' },
    );
    expect(plan).toMatchObject({
      kind: 'azure',
      args: expect.arrayContaining([
        '/dlib',
        'C:\\tools\\Azure.CodeSigning.Dlib.dll',
        '/dmdf',
        'C:\\tmp\\metadata.json',
        '/tr',
        'http://timestamp.acs.microsoft.com',
      ]),
      azureMetadata: {
        Endpoint: 'https://weu.codesigning.azure.net',
        CodeSigningAccountName: 'clinic-signing',
        CertificateProfileName: 'vitals-desk',
      },
    });
  });

  it('half an Azure configuration names what is missing', () => {
    expect(() => planWindowsSigning({ AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://x' }, exe)).toThrow(
      /AZURE_TRUSTED_SIGNING_ACCOUNT, AZURE_TRUSTED_SIGNING_PROFILE, AZURE_TRUSTED_SIGNING_DLIB/,
    );
  });

  it('release mode with no material fails the hook instead of shipping unsigned', async () => {
    await expect(windowsHook.signWindowsWith({ path: exe }, { VITALS_RELEASE: '1' })).rejects.toThrow(
      /Release build/,
    );
    await expect(windowsHook.signWindowsWith({ path: exe }, {})).resolves.toBeUndefined();
  });

  it('the certificate electron-builder decoded from CSC_LINK (base64 or URL) wins over the raw variable', () => {
    const plan = planWindowsSigning({ CSC_LINK: 'MIIKbase64…', CSC_KEY_PASSWORD: 'pw' }, exe, {
      certificateFile: '/tmp/eb-1/cert.p12',
      certificatePassword: 'pw',
    });
    expect(plan.kind).toBe('pfx');
    if (plan.kind === 'skip') return;
    expect(plan.args).toEqual(expect.arrayContaining(['/f', '/tmp/eb-1/cert.p12', '/p', 'pw']));
  });

  it('is called by electron-builder as (configuration, packager): the packager is not mistaken for the environment', async () => {
    // With no signing variables here, a development build passes through unsigned whatever the second argument is.
    const saved = { ...process.env };
    try {
      for (const name of [
        'VITALS_RELEASE',
        'CSC_LINK',
        'WIN_CSC_LINK',
        'WIN_CERT_SHA1',
        'AZURE_TRUSTED_SIGNING_ENDPOINT',
      ]) {
        delete process.env[name];
      }
      await expect(
        windowsHook({ path: exe, cscInfo: null }, { VITALS_RELEASE: '1' }),
      ).resolves.toBeUndefined();
      process.env.VITALS_RELEASE = '1';
      await expect(windowsHook({ path: exe, cscInfo: null }, {})).rejects.toThrow(/Release build/);
    } finally {
      process.env = saved;
    }
  });
});

describe('Linux GPG signing hook', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-gpg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('signs each package and a SHA256SUMS list with detached signatures (gpg stood in for: no key on this machine)', async () => {
    const deb = path.join(dir, 'vitals-desk_0.1.0_amd64.deb');
    const appImage = path.join(dir, 'Vitals-Desk-0.1.0-x86_64.AppImage');
    writeFileSync(deb, 'deb bytes');
    writeFileSync(appImage, 'appimage bytes');
    const calls: { command: string; args: string[] }[] = [];
    const added = await signLinux(
      { artifactPaths: [deb, appImage, path.join(dir, 'latest-linux.yml')] },
      { GPG_KEY_ID: 'ABC123' },
      (command, args) => calls.push({ command, args }),
    );
    const sums = path.join(dir, 'SHA256SUMS');
    expect(added).toEqual([sums, `${deb}.asc`, `${appImage}.asc`, `${sums}.asc`]);
    expect(calls.map((c) => c.args.at(-1))).toEqual([deb, appImage, sums]);
    expect(calls[0]).toEqual({
      command: 'gpg',
      args: [
        '--batch',
        '--yes',
        '--local-user',
        'ABC123',
        '--armor',
        '--detach-sign',
        '--output',
        `${deb}.asc`,
        deb,
      ],
    });
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(readFileSync(sums, 'utf8')).toBe(
      `${sha('deb bytes')}  vitals-desk_0.1.0_amd64.deb\n${sha('appimage bytes')}  Vitals-Desk-0.1.0-x86_64.AppImage\n`,
    );
  });

  it('feeds a passphrase on stdin, never on the command line', () => {
    const args = linuxHook.gpgDetachSignArgs({ GPG_KEY_ID: 'K', GPG_PASSPHRASE: 'secret' }, 'a.deb');
    expect(args).toEqual(expect.arrayContaining(['--pinentry-mode', 'loopback', '--passphrase-fd', '0']));
    expect(args).not.toContain('secret');
  });

  it('without a key: skipped in development, a failure in release mode', async () => {
    const deb = path.join(dir, 'a.deb');
    writeFileSync(deb, 'x');
    const never: Run = () => {
      throw new Error('gpg must not run');
    };
    await expect(signLinux({ artifactPaths: [deb] }, {}, never)).resolves.toEqual([]);
    await expect(signLinux({ artifactPaths: [deb] }, { VITALS_RELEASE: '1' }, never)).rejects.toThrow(
      /GPG_KEY_ID/,
    );
  });
});
