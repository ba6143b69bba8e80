/**
 * `npm run dist` run as a child process with `--check`, which stops before electron-builder: nothing is
 * built or downloaded. The environment is built from scratch so the machine's own variables cannot leak in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function dist(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/dist.mjs'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MAC = {
  CSC_LINK: '/secrets/developer-id.p12',
  CSC_KEY_PASSWORD: 'pw',
  APPLE_ID: 'build@example.org',
  APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop',
  APPLE_TEAM_ID: 'ABCDE12345',
};
const WIN = {
  CSC_LINK: '/secrets/authenticode.pfx',
  CSC_KEY_PASSWORD: 'pw',
  WIN_PUBLISHER_NAME: 'Vitals Desk Ltd',
};
const LINUX = {
  GPG_KEY_ID: '0xDEADBEEFCAFEF00D',
  VITALS_UPDATE_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nupdate-key-secret\n-----END PRIVATE KEY-----',
  VITALS_UPDATE_PUBLIC_KEY: 'u'.repeat(43),
};

describe('npm run dist', () => {
  it('release mode without secrets exits non-zero and names every missing variable per OS', () => {
    const result = dist(['--release', '--check', '--mac', '--win', '--linux']);
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('plan: electron-builder');
    for (const name of [
      'CSC_LINK',
      'CSC_KEY_PASSWORD',
      'APPLE_ID',
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_TEAM_ID',
      'WIN_PUBLISHER_NAME',
      'GPG_KEY_ID',
    ]) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr).toMatch(/macOS: Developer ID/);
    expect(result.stderr).toMatch(/Windows: Authenticode/);
    expect(result.stderr).toMatch(/Linux: GPG key/);
  });

  it('VITALS_RELEASE=1 is release mode too', () => {
    const result = dist(['--check', '--linux'], { VITALS_RELEASE: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('GPG_KEY_ID');
  });

  it('names only what is still missing when part of the material is there', () => {
    const result = dist(['--release', '--check', '--mac'], {
      CSC_LINK: MAC.CSC_LINK,
      APPLE_ID: MAC.APPLE_ID,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('set CSC_KEY_PASSWORD\n');
    expect(result.stderr).toContain('set APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID\n');
  });

  it('accepts the alternatives: an App Store Connect API key, a certificate thumbprint', () => {
    expect(
      dist(['--release', '--check', '--mac'], {
        CSC_NAME: 'Developer ID Application: Vitals Desk (ABCDE12345)',
        APPLE_API_KEY: '/secrets/AuthKey.p8',
        APPLE_API_KEY_ID: 'KEY123',
        APPLE_API_ISSUER: 'issuer-uuid',
      }).status,
    ).toBe(0);
    expect(
      dist(['--release', '--check', '--win'], {
        WIN_CERT_SHA1: 'a'.repeat(40),
        WIN_PUBLISHER_NAME: 'Vitals Desk Ltd',
      }).status,
    ).toBe(0);
  });

  it('release mode with all material plans a signed build that refuses to be unsigned, and never prints secrets', () => {
    const result = dist(['--release', '--check', '--mac', '--win', '--linux'], { ...MAC, ...WIN, ...LINUX });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('release (signed) build for macOS, Windows, Linux');
    expect(result.stdout).toContain('--config.forceCodeSigning=true');
    expect(result.stdout).toContain('--config.win.signtoolOptions.publisherName=Vitals Desk Ltd');
    expect(result.stdout).not.toContain('--config.mac.identity=null');
    expect(result.stdout).not.toContain(MAC.APPLE_APP_SPECIFIC_PASSWORD);
    expect(result.stdout).toContain(
      `--config.extraMetadata.updateSigningKey=${LINUX.VITALS_UPDATE_PUBLIC_KEY}`,
    );
    expect(result.stdout).not.toContain('update-key-secret');
  });

  it('development mode builds unsigned and still plans the SBOM into the release directory', () => {
    const result = dist(['--check', '--mac', '--linux']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('development (unsigned) build');
    expect(result.stdout).toContain('--config.mac.identity=null');
    expect(result.stdout).toContain('--config.mac.notarize=false');
    expect(result.stdout).not.toContain('forceCodeSigning');
    expect(result.stdout).toMatch(
      /plan: cyclonedx-npm --omit dev .*--output-file release\/\d+\.\d+\.\d+\/vitals-desk-\d+\.\d+\.\d+\.cdx\.json/,
    );
  });

  it('refuses an unknown option instead of starting a build', () => {
    const result = dist(['--relase']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown or incomplete option: --relase');
    expect(result.stdout).not.toContain('> npm run build');
  });

  it('writes a CycloneDX SBOM of what ships (production dependencies only), for real', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'vitals-sbom-'));
    try {
      const result = dist(['--sbom-only', '--output', out]);
      expect(result.status).toBe(0);
      expect(result.stdout).not.toContain('electron-builder');
      const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        version: string;
      };
      const bom = JSON.parse(readFileSync(path.join(out, `vitals-desk-${version}.cdx.json`), 'utf8')) as {
        bomFormat: string;
        specVersion: string;
        metadata: { component: { name: string; version: string } };
        components: { name: string; group?: string; purl?: string }[];
      };
      expect(bom.bomFormat).toBe('CycloneDX');
      expect(bom.specVersion).toBe('1.6');
      expect(bom.metadata.component).toMatchObject({ name: 'vitals-desk', version });
      const names = new Set(bom.components.map((c) => (c.group ? `${c.group}/${c.name}` : c.name)));
      for (const shipped of [
        'zod',
        'better-sqlite3-multiple-ciphers',
        'serialport',
        'electron-updater',
        'react',
      ]) {
        expect([shipped, names.has(shipped)]).toEqual([shipped, true]);
      }
      for (const devOnly of ['vitest', 'electron-builder', 'typescript', 'eslint']) {
        expect([devOnly, names.has(devOnly)]).toEqual([devOnly, false]);
      }
      expect(bom.components.every((c) => c.purl?.startsWith('pkg:npm/'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
