import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.vite.config.ts';
import type * as WindowModule from '../../../main/window.ts';
import { loadNative } from '../../support/electron/shell.ts';

/*
 * The window loads its preload and its pages from paths next to the built main; electron-vite's
 * configuration must put them there, in the form a sandboxed preload can load.
 */

type Section = {
  define?: Record<string, string>;
  build?: { outDir?: string; externalizeDeps?: boolean; rollupOptions?: { output?: unknown } };
};
const sections = config as unknown as Record<'main' | 'preload' | 'renderer', Section>;
// main/window.ts imports electron: Node loads it with the double in its place.
const { preloadPath, rendererDir } = await loadNative<typeof WindowModule>('main/window.ts');

describe('the build layout', () => {
  it('puts the preload where main/window.ts looks for it, as one CommonJS file', () => {
    const preload = sections.preload.build!;
    // A sandboxed preload cannot require: dependencies are bundled, the format is CommonJS.
    expect(preload.externalizeDeps).toBe(false);
    expect(preload.rollupOptions?.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    const main = join('/app', sections.main.build!.outDir!);
    expect(preloadPath(main)).toBe(join('/app', preload.outDir!, 'index.cjs'));
  });

  it('puts the renderer where app:// serves it from', () => {
    const main = join('/app', sections.main.build!.outDir!);
    expect(rendererDir(main)).toBe(join('/app', sections.renderer.build!.outDir!));
  });
});

describe('the pinned update key', () => {
  it('is written into main at build time, and is empty (no updates) when the release pinned none', () => {
    // This repository pins no key: the built app must not update from anywhere.
    expect(sections.main.define).toEqual({ 'process.env.SPORTELLO_PINNED_UPDATE_KEY': JSON.stringify('') });
  });
});
