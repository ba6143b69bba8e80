// Runs the import worker from its TypeScript source (tests, `npm run start:chromium`): the built app
// starts dist/main/home-import-worker.js instead. Registers tsx in this thread, then loads the worker.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
