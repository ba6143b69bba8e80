import { defineConfig } from 'vite';

// A sandboxed preload cannot require anything but `electron`: bundle it into one CommonJS file.
export default defineConfig({
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    sourcemap: false,
    target: 'node22',
    ssr: 'main/app/preload.ts',
    rollupOptions: {
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: 'preload.cjs' },
    },
  },
  ssr: { noExternal: true },
});
