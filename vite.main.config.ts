import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The Electron main process: one ESM bundle; dependencies stay in node_modules (native modules must).
export default defineConfig({
  build: {
    ssr: 'main/app/main.ts',
    outDir: 'dist/main',
    emptyOutDir: true,
    sourcemap: true,
    target: 'node22',
    rollupOptions: {
      external: ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
});
