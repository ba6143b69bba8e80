// `npm start`: launches the Electron app from the build. Where Electron's binary is missing (it could
// not be downloaded), says so and how to run the same app in Chromium instead.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron'); // the package's index resolves the downloaded binary's path
} catch (error) {
  electronPath = undefined;
  console.error(`Electron is not available: ${error instanceof Error ? error.message : error}`);
}
if (typeof electronPath !== 'string') {
  console.error(
    [
      'Vitals Desk could not find the Electron binary (it is downloaded by `npm install`).',
      'Reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD to get it, or run the same app in Chromium:',
      '',
      '    npm run start:chromium',
    ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
