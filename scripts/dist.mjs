#!/usr/bin/env node
/**
 * `npm run dist`: build the app, package installers with electron-builder, and write a CycloneDX SBOM
 * of what ships next to them.
 *
 *   npm run dist                      development build for this OS, unsigned
 *   npm run dist -- --release         release build: refuses to start without signing material
 *   npm run dist -- --mac --win --linux   choose target OSes (default: this machine's OS)
 *   npm run dist -- --check           print the plan (and, in release mode, what is missing) and stop
 *   npm run dist -- --sbom-only       only write the SBOM (no build)
 *   npm run dist -- --output <dir>    where installers and SBOM go (default release/<version>)
 *
 * Release mode is also `VITALS_RELEASE=1`. Signing material comes only from environment variables.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepNodeBuilds } from './native-modules.mjs';
import { npmCommandHere } from './npm-command.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Signing material per target OS. Each requirement is met by one of its alternatives, and an
 * alternative by all of its variables.
 */
export const SIGNING_REQUIREMENTS = {
  mac: [
    {
      what: 'Developer ID Application certificate (.p12, as a path or base64)',
      anyOf: [['CSC_LINK', 'CSC_KEY_PASSWORD'], ['CSC_NAME']],
    },
    {
      what: 'Apple notarization credentials',
      anyOf: [
        ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
        ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
      ],
    },
  ],
  win: [
    {
      what: 'Authenticode signing material (certificate file, certificate store, or Azure Trusted Signing)',
      anyOf: [
        ['CSC_LINK', 'CSC_KEY_PASSWORD'],
        ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD'],
        ['WIN_CERT_SHA1'],
        [
          'AZURE_TRUSTED_SIGNING_ENDPOINT',
          'AZURE_TRUSTED_SIGNING_ACCOUNT',
          'AZURE_TRUSTED_SIGNING_PROFILE',
          'AZURE_TRUSTED_SIGNING_DLIB',
          'AZURE_TENANT_ID',
          'AZURE_CLIENT_ID',
          'AZURE_CLIENT_SECRET',
        ],
      ],
    },
    {
      what: "publisher name exactly as in the certificate's subject (electron-updater checks updates against it)",
      anyOf: [['WIN_PUBLISHER_NAME']],
    },
  ],
  linux: [
    { what: 'GPG key to sign the .deb, .rpm and AppImage', anyOf: [['GPG_KEY_ID']] },
    {
      what: 'Ed25519 update signing key and its public key (installed copies check Linux updates against it)',
      anyOf: [['VITALS_UPDATE_SIGNING_KEY', 'VITALS_UPDATE_PUBLIC_KEY']],
    },
  ],
};

export const OS_NAMES = { mac: 'macOS', win: 'Windows', linux: 'Linux' };

/** For each unmet requirement of `target`: what it is and the variables still missing. Pure. */
export function missingSigning(target, env) {
  const present = (name) => typeof env[name] === 'string' && env[name].length > 0;
  const missing = [];
  for (const requirement of SIGNING_REQUIREMENTS[target]) {
    if (requirement.anyOf.some((set) => set.every(present))) continue;
    // Name the alternative already most filled in (the first listed when none is), so the list says
    // exactly what to add.
    const closest = [...requirement.anyOf].sort(
      (a, b) => b.filter(present).length - a.filter(present).length,
    )[0];
    missing.push({
      what: requirement.what,
      variables: closest.filter((n) => !present(n)),
      alternatives: requirement.anyOf.filter((set) => set !== closest),
    });
  }
  return missing;
}

/**
 * Arguments for electron-builder. Pure. A Windows release build without the publisher name is refused
 * here too: without it electron-updater would have no publisher to check updates against.
 */
export function electronBuilderArgs({ targets, release, env, outputDir }) {
  const args = ['--config', 'electron-builder.yml', '--publish', 'never'];
  if (outputDir) args.push(`--config.directories.output=${outputDir}`);
  for (const target of targets) args.push(`--${target}`);
  if (release) {
    args.push('--config.forceCodeSigning=true');
    if (targets.includes('win')) {
      if (!env.WIN_PUBLISHER_NAME?.trim()) {
        throw new Error(
          'Windows release build refused: set WIN_PUBLISHER_NAME (the certificate subject CN).',
        );
      }
      args.push(
        `--config.win.signtoolOptions.publisherName=${env.WIN_PUBLISHER_NAME}`,
        '--config.win.verifyUpdateCodeSignature=true',
      );
    }
  } else {
    // Documented electron-builder switches to skip macOS signing and notarization.
    if (targets.includes('mac')) args.push('--config.mac.identity=null', '--config.mac.notarize=false');
  }
  if (env.VITALS_UPDATE_URL) args.push(`--config.publish.url=${env.VITALS_UPDATE_URL}`);
  // The release update key's public half, read by the installed app to check Linux updates.
  if (env.VITALS_UPDATE_PUBLIC_KEY) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(env.VITALS_UPDATE_PUBLIC_KEY)) {
      throw new Error(
        'VITALS_UPDATE_PUBLIC_KEY is not an Ed25519 public key: use what `node build/update-signature.cjs public-key` prints.',
      );
    }
    args.push(`--config.extraMetadata.updateSigningKey=${env.VITALS_UPDATE_PUBLIC_KEY}`);
  }
  return args;
}

function parseArgs(argv, env) {
  const targets = ['mac', 'win', 'linux'].filter((t) => argv.includes(`--${t}`));
  const hostTarget = { darwin: 'mac', win32: 'win' }[process.platform] ?? 'linux';
  const outputAt = argv.indexOf('--output');
  const known = new Set(['--release', '--check', '--sbom-only', '--output', '--mac', '--win', '--linux']);
  const unknown = argv.filter((a, i) => !known.has(a) && (outputAt < 0 || i !== outputAt + 1));
  if (unknown.length > 0 || (outputAt >= 0 && !argv[outputAt + 1])) {
    // Refuse rather than start a long build the caller did not ask for.
    console.error(`Unknown or incomplete option: ${unknown.join(' ') || '--output needs a directory'}`);
    process.exit(2);
  }
  return {
    release: argv.includes('--release') || env.VITALS_RELEASE === '1',
    check: argv.includes('--check'),
    sbomOnly: argv.includes('--sbom-only'),
    outputDir: outputAt >= 0 ? argv[outputAt + 1] : undefined,
    targets: targets.length > 0 ? targets : [hostTarget],
  };
}

function run(command, args, options = {}, afterwards = () => undefined) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  afterwards();
  if (result.status !== 0) {
    console.error(`\n${command} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function main() {
  const env = process.env;
  const options = parseArgs(process.argv.slice(2), env);
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const releaseDir = options.outputDir ?? path.join('release', version);

  if (options.release && !options.sbomOnly) {
    const problems = options.targets.flatMap((target) =>
      missingSigning(target, env).map((m) => ({ target, ...m })),
    );
    if (problems.length > 0) {
      const lines = problems.map((p) => {
        const alternatives = p.alternatives.length
          ? `\n      or instead: ${p.alternatives.map((set) => set.join(' + ')).join('; or ')}`
          : '';
        return `  - ${OS_NAMES[p.target]}: ${p.what}: set ${p.variables.join(', ')}${alternatives}`;
      });
      console.error(
        `Release build refused: signing material is missing from the environment.\n${lines.join('\n')}\n` +
          'Set these as CI secrets (see docs/IT.md, "Signing"), or build unsigned without --release.',
      );
      process.exit(1);
    }
  }

  let builderArgs;
  try {
    builderArgs = electronBuilderArgs({
      targets: options.targets,
      release: options.release,
      env,
      outputDir: options.outputDir,
    });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const sbomFile = path.join(releaseDir, `vitals-desk-${version}.cdx.json`);
  const sbomArgs = [
    '--omit',
    'dev',
    '--spec-version',
    '1.6',
    '--output-reproducible',
    '--output-format',
    'JSON',
    '--output-file',
    sbomFile,
  ];
  const mode = options.release ? 'release (signed)' : 'development (unsigned)';
  console.log(
    `Vitals Desk ${version}: ${mode} build for ${options.targets.map((t) => OS_NAMES[t]).join(', ')}`,
  );

  if (options.check) {
    console.log(`plan: npm run build`);
    console.log(`plan: electron-builder ${builderArgs.join(' ')}`);
    console.log(`plan: cyclonedx-npm ${sbomArgs.join(' ')}`);
    return;
  }

  if (options.sbomOnly) {
    writeSbom(releaseDir, sbomArgs);
    return;
  }

  const builderEnv = { ...env, VITALS_RELEASE: options.release ? '1' : '0' };
  // A development build must not pick up a random identity from the login keychain.
  if (!options.release) builderEnv.CSC_IDENTITY_AUTO_DISCOVERY = 'false';

  const npm = npmCommandHere(['run', 'build']);
  run(npm.command, npm.args, npm.options);
  // electron-builder rebuilds the native modules in node_modules for Electron; the Node builds that
  // the tests and the Chromium host load are put back afterwards, whether packaging worked or not.
  const nodeBuilds = keepNodeBuilds(root);
  run(
    process.execPath,
    [path.join(root, 'node_modules/electron-builder/cli.js'), ...builderArgs],
    { env: builderEnv },
    () => {
      nodeBuilds.restore();
      console.log(`Node builds of ${nodeBuilds.files.length} native file(s) restored in node_modules.`);
    },
  );
  writeSbom(releaseDir, sbomArgs);
  console.log(`\nInstallers and SBOM: ${releaseDir}`);
}

/** What ships: production dependencies only, reproducible output for comparing releases. */
function writeSbom(releaseDir, sbomArgs) {
  mkdirSync(path.resolve(root, releaseDir), { recursive: true });
  run(process.execPath, [
    path.join(root, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js'),
    ...sbomArgs,
  ]);
  console.log(`SBOM: ${sbomArgs.at(-1)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
