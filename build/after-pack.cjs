'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */
/**
 * electron-builder `afterPack` hook: flips the Electron fuses in the packaged binary. Runs after the
 * app is assembled and before it is signed, so the signature covers the fused binary.
 */
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');
const { fuseConfig } = require('./fuses.cjs');

/** The Electron executable inside the packed app, per platform. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

/**
 * `strictlyRequireAllFuses` stops the build when this Electron has a fuse that the pinned
 * @electron/fuses (or build/fuses.cjs) does not decide. Say what to do rather than only what broke.
 */
function explainFuseError(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (!/strictlyRequireAllFuses|not long enough|does not match/.test(message)) return error;
  return new Error(
    `${message}\n\nThis Electron has a fuse that the build does not decide yet. Upgrade @electron/fuses ` +
      '(`npm install --save-exact --save-dev @electron/fuses@latest`), choose a value for each new fuse in ' +
      'build/fuses.cjs (read its description in Electron\'s "Electron Fuses" tutorial), and run ' +
      '`npm run dist` again. See docs/IT.md, "Building installers".',
  );
}

/** @param {import('app-builder-lib').AfterPackContext} context */
async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // Flipping fuses breaks the ad-hoc signature macOS arm64 requires; re-sign ad hoc when unsigned
  // (a real Developer ID signature replaces it right after this hook).
  // builder-util's Arch enum: 3 = arm64, 4 = universal.
  const arm64Mac = context.electronPlatformName === 'darwin' && [3, 4].includes(context.arch);
  let flipped;
  try {
    flipped = await flipFuses(binary, fuseConfig({ resetAdHocDarwinSignature: arm64Mac }));
  } catch (error) {
    throw explainFuseError(error);
  }
  console.log(`  • electron fuses set  file=${path.basename(binary)} slices=${flipped}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.explainFuseError = explainFuseError;
