import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, type Plugin } from 'vite';

/*
 * What the renderer's first screen needs from the build:
 * - out/renderer/early.js, a classic script of its own (renderer/early.ts, no dependency on the
 *   app's chunks) that index.html runs before the app's module: while the app compiles, it asks
 *   main for the opening screen's data and starts that screen's chunks downloading (it is told
 *   which files each screen needs: `__SCREEN_CHUNKS__`, from this very build);
 * - the app's entry chunk marked for eager compilation (explicit compile hints, Chromium 136+)
 *   when `compileHints` is set: every function of the first screen runs at start.
 * Build only: under `electron-vite dev` the app starts without early.js (nothing asked early).
 */

interface Chunk {
  type: 'chunk';
  fileName: string;
  facadeModuleId: string | null;
  imports: string[];
}

/** Each screen module's chunk and the chunks it imports, less those index.html loads anyway. */
export function screenChunks(
  bundle: Record<string, { type: string }>,
  modules: readonly string[],
  initial: ReadonlySet<string>,
): Record<string, string[]> {
  const chunks = Object.values(bundle).filter((c): c is Chunk => c.type === 'chunk');
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const map: Record<string, string[]> = {};
  for (const module of modules) {
    const chunk = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(`/renderer/${module}`));
    if (!chunk) continue;
    const files = new Set<string>();
    const visit = (file: string) => {
      if (files.has(file) || initial.has(file)) return;
      files.add(file);
      for (const next of byFile.get(file)?.imports ?? []) visit(next);
    };
    visit(chunk.fileName);
    map[module] = [...files];
  }
  return map;
}

export function openingScripts(options: {
  earlyEntry: string;
  /** The screens' modules (renderer/screens.ts). */
  screenModules: readonly string[];
  compileHints: boolean;
}): Plugin {
  let map: Record<string, string[]> = {};
  return {
    name: 'sportello-opening-scripts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.bundle) {
          const initial = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!));
          map = screenChunks(ctx.bundle, options.screenModules, initial);
        }
        // Run as soon as it arrives, before the app's module is compiled.
        return html.replace(
          '<script type="module"',
          '<script async src="./early.js"></script>\n    <script type="module"',
        );
      },
    },
    async writeBundle(output, bundle) {
      if (!output.dir) return;
      if (options.compileHints) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
          const file = resolve(output.dir, chunk.fileName);
          writeFileSync(file, `//# allFunctionsCalledOnLoad\n${readFileSync(file, 'utf8')}`);
        }
      }
      await build({
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        define: { __SCREEN_CHUNKS__: JSON.stringify(map) },
        build: {
          outDir: output.dir,
          emptyOutDir: false,
          minify: true,
          lib: {
            entry: options.earlyEntry,
            formats: ['iife'],
            name: 'SportelloEarly',
            fileName: () => 'early.js',
          },
        },
      });
    },
  };
}
