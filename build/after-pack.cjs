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

/** @param {import('app-builder-lib').AfterPackContext} context */
async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // Flipping fuses breaks the ad-hoc signature macOS arm64 requires; re-sign ad hoc when unsigned
  // (a real Developer ID signature replaces it right after this hook).
  // builder-util's Arch enum: 3 = arm64, 4 = universal.
  const arm64Mac = context.electronPlatformName === 'darwin' && [3, 4].includes(context.arch);
  const flipped = await flipFuses(binary, fuseConfig({ resetAdHocDarwinSignature: arm64Mac }));
  console.log(`  • electron fuses set  file=${path.basename(binary)} slices=${flipped}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.electronBinaryPath = electronBinaryPath;
