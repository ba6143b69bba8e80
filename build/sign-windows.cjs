'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */
/**
 * electron-builder custom Windows signing hook (`win.signtoolOptions.sign`). Signs each file with
 * Authenticode (SHA-256, RFC 3161 timestamp) using whichever material the environment provides:
 *
 *  1. Azure Trusted Signing: AZURE_TRUSTED_SIGNING_ENDPOINT, AZURE_TRUSTED_SIGNING_ACCOUNT,
 *     AZURE_TRUSTED_SIGNING_PROFILE, AZURE_TRUSTED_SIGNING_DLIB (path to Azure.CodeSigning.Dlib.dll);
 *     the service principal comes from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
 *  2. A certificate in the Windows store (hardware token / EV): WIN_CERT_SHA1 (thumbprint).
 *  3. A .pfx file: WIN_CSC_LINK or CSC_LINK (path), with WIN_CSC_KEY_PASSWORD or CSC_KEY_PASSWORD.
 *
 * signtool is taken from SIGNTOOL_PATH, else from PATH. Without any material: a development build is
 * left unsigned (said in the log); a release build (VITALS_RELEASE=1) fails.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const AZURE_TIMESTAMP = 'http://timestamp.acs.microsoft.com';
const DEFAULT_TIMESTAMP = 'http://timestamp.digicert.com';

/**
 * What to run to sign `file`, from the environment alone. Pure: returns a plan, runs nothing.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} file
 * @param {{ metadataFile?: string, certificateFile?: string, certificatePassword?: string | null }} [options]
 *   certificateFile/Password: the .pfx as electron-builder already decoded it from CSC_LINK (path, base64 or URL).
 * @returns {{ kind: 'skip', reason: string } | { kind: 'azure' | 'store' | 'pfx', command: string, args: string[], azureMetadata?: object }}
 */
function planWindowsSigning(env, file, options = {}) {
  const signtool = env.SIGNTOOL_PATH || 'signtool.exe';
  const common = ['sign', '/fd', 'SHA256', '/td', 'SHA256'];
  const azure = [
    'AZURE_TRUSTED_SIGNING_ENDPOINT',
    'AZURE_TRUSTED_SIGNING_ACCOUNT',
    'AZURE_TRUSTED_SIGNING_PROFILE',
    'AZURE_TRUSTED_SIGNING_DLIB',
  ];
  if (azure.some((name) => env[name])) {
    const missing = azure.filter((name) => !env[name]);
    if (missing.length > 0)
      throw new Error(`Azure Trusted Signing is incomplete: set ${missing.join(', ')}.`);
    const metadataFile = options.metadataFile || 'metadata.json';
    return {
      kind: 'azure',
      command: signtool,
      args: [
        ...common,
        '/tr',
        env.WIN_TIMESTAMP_URL || AZURE_TIMESTAMP,
        '/dlib',
        env.AZURE_TRUSTED_SIGNING_DLIB,
        '/dmdf',
        metadataFile,
        file,
      ],
      // The dlib reads the account and profile from this JSON file (Trusted Signing's signtool integration).
      azureMetadata: {
        Endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT,
        CodeSigningAccountName: env.AZURE_TRUSTED_SIGNING_ACCOUNT,
        CertificateProfileName: env.AZURE_TRUSTED_SIGNING_PROFILE,
      },
    };
  }
  const timestamp = ['/tr', env.WIN_TIMESTAMP_URL || DEFAULT_TIMESTAMP];
  if (env.WIN_CERT_SHA1) {
    return {
      kind: 'store',
      command: signtool,
      args: [...common, ...timestamp, '/sha1', env.WIN_CERT_SHA1, file],
    };
  }
  const pfx = options.certificateFile || env.WIN_CSC_LINK || env.CSC_LINK;
  if (pfx) {
    const password = options.certificatePassword || env.WIN_CSC_KEY_PASSWORD || env.CSC_KEY_PASSWORD;
    if (!password)
      throw new Error('A signing certificate is set but its password is not: set CSC_KEY_PASSWORD.');
    return {
      kind: 'pfx',
      command: signtool,
      args: [...common, ...timestamp, '/f', pfx, '/p', password, file],
    };
  }
  return { kind: 'skip', reason: 'no Windows signing material in the environment' };
}

/**
 * The hook electron-builder calls as `sign(configuration, packager)` for each file.
 * @param {import('app-builder-lib').CustomWindowsSignTaskConfiguration} configuration
 */
async function signWindows(configuration) {
  return signWindowsWith(configuration, process.env);
}

/** The hook's work with the environment passed in (tests). */
async function signWindowsWith(configuration, env) {
  const file = configuration.path;
  const certificate = configuration.cscInfo && 'file' in configuration.cscInfo ? configuration.cscInfo : null;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vitals-sign-'));
  try {
    const plan = planWindowsSigning(env, file, {
      metadataFile: path.join(tmp, 'metadata.json'),
      certificateFile: certificate?.file,
      certificatePassword: certificate?.password,
    });
    if (plan.kind === 'skip') {
      if (env.VITALS_RELEASE === '1') throw new Error(`Release build, but ${plan.reason}.`);
      console.log(`  • not signing (development build)  file=${path.basename(file)}`);
      return;
    }
    if (plan.azureMetadata)
      writeFileSync(path.join(tmp, 'metadata.json'), JSON.stringify(plan.azureMetadata));
    // stdio inherited, arguments never echoed: they may include the certificate password.
    execFileSync(plan.command, plan.args, { stdio: 'inherit' });
    console.log(`  • signed (${plan.kind})  file=${path.basename(file)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = signWindows;
module.exports.default = signWindows;
module.exports.planWindowsSigning = planWindowsSigning;
module.exports.signWindowsWith = signWindowsWith;
