'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */
/**
 * Electron fuses for a medical workstation: options compiled into the Electron binary that no
 * command-line flag or environment variable can turn back on (see @electron/fuses and Electron's
 * "Electron Fuses" tutorial). Kept apart from the hook so tests can check the configuration itself.
 */
const { FuseVersion, FuseV1Options } = require('@electron/fuses');

/** @returns {import('@electron/fuses').FuseConfig} */
function fuseConfig({ resetAdHocDarwinSignature }) {
  return {
    version: FuseVersion.V1,
    // Fail the build if a future Electron adds a fuse this list does not decide.
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature,
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS and --inspect would let anyone inject code or attach a debugger to the process that holds PHI.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Only the signed app.asar, checked against the hash embedded at build time.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The app is served from app://vitals-desk, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

module.exports = { fuseConfig };
