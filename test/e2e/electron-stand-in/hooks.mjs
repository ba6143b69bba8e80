// Loaded with `node --import`: `electron`, imported or required, resolves to the stand-in.
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const standIn = fileURLToPath(new URL('./electron.cjs', import.meta.url));
register(new URL('./resolve.mjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? standIn : resolveFilename.call(this, request, ...rest);
};
