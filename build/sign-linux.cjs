'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */
/**
 * electron-builder `afterAllArtifactBuild` hook: signs the Linux packages with GPG. Each .deb, .rpm and
 * .AppImage gets a detached ASCII-armoured signature (`<file>.asc`), and a SHA256SUMS list of them gets
 * its own (`SHA256SUMS.asc`). Detached, never in place: the update feed's sha512 must match the
 * published bytes. The key is GPG_KEY_ID (already in the build machine's keyring, e.g. imported from a
 * CI secret), with GPG_PASSPHRASE when the key has one. Without a key a development build stays
 * unsigned; a release build (VITALS_RELEASE=1) fails.
 *
 * It also writes `<file>.sig` (build/update-signature.cjs), the signature the installed app checks
 * before it installs a Linux update; a release build without VITALS_UPDATE_SIGNING_KEY fails.
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { signUpdateFiles } = require('./update-signature.cjs');

const LINUX_PACKAGE = /\.(deb|rpm|AppImage)$/;

/** The gpg invocation that makes `<file>.asc`. Pure. */
function gpgDetachSignArgs(env, file) {
  const args = ['--batch', '--yes', '--local-user', env.GPG_KEY_ID, '--armor', '--detach-sign'];
  // With a passphrase, gpg reads it from stdin instead of asking a pinentry no CI machine has.
  if (env.GPG_PASSPHRASE) args.push('--pinentry-mode', 'loopback', '--passphrase-fd', '0');
  args.push('--output', `${file}.asc`, file);
  return args;
}

/** `sha256  name` lines, the format `sha256sum -c` checks. */
function sha256sums(files, read = (f) => readFileSync(f)) {
  return files
    .map((file) => `${createHash('sha256').update(read(file)).digest('hex')}  ${path.basename(file)}\n`)
    .join('');
}

/**
 * The hook electron-builder calls as `afterAllArtifactBuild(buildResult)`; returns extra files to publish.
 * @param {import('app-builder-lib').BuildResult} result
 */
async function signLinux(result) {
  return signLinuxWith(result, process.env, execFileSync);
}

/** The hook's work with the environment and the process runner passed in (tests). */
async function signLinuxWith(result, env, run) {
  const packages = result.artifactPaths.filter((file) => LINUX_PACKAGE.test(file));
  if (packages.length === 0) return [];
  return [...gpgSign(packages, env, run), ...updateSign(packages, result, env)];
}

function gpgSign(packages, env, run) {
  if (!env.GPG_KEY_ID) {
    if (env.VITALS_RELEASE === '1')
      throw new Error('Release build, but GPG_KEY_ID is not set: Linux packages would be unsigned.');
    console.log('  • not GPG-signing Linux packages (development build)');
    return [];
  }
  const sums = path.join(path.dirname(packages[0]), 'SHA256SUMS');
  writeFileSync(sums, sha256sums(packages));
  const signed = [];
  for (const file of [...packages, sums]) {
    run('gpg', gpgDetachSignArgs(env, file), {
      input: env.GPG_PASSPHRASE ?? '',
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    signed.push(`${file}.asc`);
  }
  console.log(`  • GPG-signed ${packages.length} Linux package(s) and SHA256SUMS`);
  // Returned paths are published next to the packages.
  return [sums, ...signed];
}

/**
 * `<file>.sig` for the app's own update check (build/update-signature.cjs). The public key the
 * installers carry is the configuration's `extraMetadata.updateSigningKey` (set by `npm run dist` from
 * VITALS_UPDATE_PUBLIC_KEY).
 */
function updateSign(packages, result, env) {
  const version = result.packager?.appInfo?.version ?? env.VITALS_UPDATE_VERSION;
  const baked = result.configuration?.extraMetadata?.updateSigningKey || env.VITALS_UPDATE_PUBLIC_KEY;
  const written = signUpdateFiles(packages, version, env, baked);
  if (written === null) {
    if (env.VITALS_RELEASE === '1')
      throw new Error(
        'Release build, but VITALS_UPDATE_SIGNING_KEY is not set: installed copies would refuse every Linux update.',
      );
    console.log('  • not signing Linux updates (development build)');
    return [];
  }
  console.log(`  • signed ${written.length} Linux update package(s) for the in-app check`);
  return written;
}

module.exports = signLinux;
module.exports.default = signLinux;
module.exports.signLinuxWith = signLinuxWith;
module.exports.gpgDetachSignArgs = gpgDetachSignArgs;
module.exports.sha256sums = sha256sums;
