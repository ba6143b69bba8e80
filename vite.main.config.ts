import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The Electron main process: ESM bundles; dependencies stay in node_modules (native modules must).
// Two entries: the main process, and the home-data import's worker thread (main/import/worker-client.ts
// starts home-import-worker.js from beside main.js).
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist/main',
    emptyOutDir: true,
    sourcemap: true,
    target: 'node22',
    rollupOptions: {
      external: ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      input: { main: 'main/app/main.ts', 'home-import-worker': 'main/import/worker.ts' },
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
