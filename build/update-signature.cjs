'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by electron-builder hooks and run by hand */
/**
 * Signs Linux update packages for the app's own check (main/updates/linux-update-signature.ts): for each
 * file, `<file>.sig` holds an Ed25519 signature by the release update key over the file's name, the
 * release version and the file's SHA-512. Publish it beside the file in the update feed.
 *
 * The private key comes only from VITALS_UPDATE_SIGNING_KEY: a PKCS#8 PEM (`openssl genpkey -algorithm
 * ed25519`), as text or base64 of that text. The build's public key (baked into the installers) is
 * VITALS_UPDATE_PUBLIC_KEY; signing refuses a private key that does not match it, because the installed
 * copies would then refuse every update.
 *
 *   node build/update-signature.cjs public-key                       print the public key for VITALS_UPDATE_PUBLIC_KEY
 *   node build/update-signature.cjs sign --version 1.2.3 <file>...   write <file>.sig for each file
 */
const { createHash, createPrivateKey, createPublicKey, sign } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const SIGNATURE_FORMAT = 'vitals-desk-update-signature/1';

/** The exact bytes signed; must match signedMessage() in main/updates/linux-update-signature.ts. */
function signedMessage({ version, file, sha512 }) {
  return Buffer.from(
    `${SIGNATURE_FORMAT}\nversion=${version}\nfile=${file}\nsha512=${sha512.toString('base64')}\n`,
    'utf8',
  );
}

/** The Ed25519 private key from VITALS_UPDATE_SIGNING_KEY, or null when the variable is not set. */
function signingKeyFromEnv(env) {
  const raw = env.VITALS_UPDATE_SIGNING_KEY;
  if (!raw) return null;
  const pem = raw.includes('-----BEGIN') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('VITALS_UPDATE_SIGNING_KEY is not a PEM private key (or base64 of one).');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`VITALS_UPDATE_SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}.`);
  }
  return key;
}

/** The public half as the build bakes it in: the raw 32-byte key in base64url. */
function publicKeyText(privateKey) {
  return createPublicKey(privateKey).export({ format: 'jwk' }).x;
}

/** Writes `<file>.sig` and returns its path. */
function signUpdateFile(file, version, privateKey) {
  const sha512 = createHash('sha512').update(readFileSync(file)).digest();
  const name = path.basename(file);
  const signature = sign(null, signedMessage({ version, file: name, sha512 }), privateKey);
  const out = `${file}.sig`;
  writeFileSync(
    out,
    `${JSON.stringify({
      format: SIGNATURE_FORMAT,
      version,
      file: name,
      sha512: sha512.toString('base64'),
      signature: signature.toString('base64'),
    })}\n`,
  );
  return out;
}

/**
 * Signs `files` for `version` with the key from `env`. Null when there is no key (the caller decides
 * whether that is allowed); throws when the key does not match `expectedPublicKey`.
 */
function signUpdateFiles(files, version, env, expectedPublicKey) {
  const key = signingKeyFromEnv(env);
  if (!key) return null;
  if (!version) throw new Error('Signing updates needs the release version.');
  const actual = publicKeyText(key);
  if (!expectedPublicKey) {
    throw new Error(
      `VITALS_UPDATE_PUBLIC_KEY is not set: installers would have no key to check updates with. Set it to ${actual}.`,
    );
  }
  if (actual !== expectedPublicKey) {
    throw new Error(
      'VITALS_UPDATE_SIGNING_KEY does not match VITALS_UPDATE_PUBLIC_KEY: installed copies would refuse these updates.',
    );
  }
  return files.map((file) => signUpdateFile(file, version, key));
}

function cli(argv, env) {
  const [command, ...rest] = argv;
  if (command === 'public-key') {
    const key = signingKeyFromEnv(env);
    if (!key) throw new Error('Set VITALS_UPDATE_SIGNING_KEY to the private key.');
    console.log(publicKeyText(key));
    return;
  }
  if (command === 'sign') {
    const at = rest.indexOf('--version');
    const version = at >= 0 ? rest[at + 1] : undefined;
    const files = rest.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
    if (!version || files.length === 0) throw new Error('Usage: sign --version <version> <file>...');
    const written = signUpdateFiles(files, version, env, env.VITALS_UPDATE_PUBLIC_KEY);
    if (!written) throw new Error('Set VITALS_UPDATE_SIGNING_KEY to the private key.');
    for (const file of written) console.log(file);
    return;
  }
  throw new Error('Usage: update-signature.cjs public-key | sign --version <version> <file>...');
}

if (require.main === module) {
  try {
    cli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

module.exports = {
  SIGNATURE_FORMAT,
  signedMessage,
  signingKeyFromEnv,
  publicKeyText,
  signUpdateFile,
  signUpdateFiles,
};
