import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { openingScripts } from './build/opening-scripts.ts';
import { screens } from './renderer/screens.ts';

/**
 * The release key's public half, pinned into main at build time (main/adapters/updater.ts): from
 * SPORTELLO_UPDATE_PUBLIC_KEY (the release workflow), else build/update-public-key.pem; '' (no
 * updates) when neither exists. Only the public key: the private one never enters the repository.
 */
function pinnedUpdateKey(): string {
  const fromEnv = process.env.SPORTELLO_UPDATE_PUBLIC_KEY?.trim();
  if (fromEnv) return fromEnv;
  const file = resolve(import.meta.dirname, 'build', 'update-public-key.pem');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

export default defineConfig({
  main: {
    define: { 'process.env.SPORTELLO_PINNED_UPDATE_KEY': JSON.stringify(pinnedUpdateKey()) },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/index.ts'),
          // The document reader's thread (main/reading/threaded.ts), started by path from index.js.
          'reading-worker': resolve(import.meta.dirname, 'main/reading/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require packages: bundle everything (zod, the contract) into one CJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [
      react(),
      // early.js, which starts the opening screen's data and code (see the plugin).
      openingScripts({
        earlyEntry: resolve(import.meta.dirname, 'renderer/early.ts'),
        screenModules: screens.map((s) => s.module),
      }),
    ],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified by default; the renderer's first paint depends on it.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
