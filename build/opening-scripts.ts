import { build, type Plugin } from 'vite';

/*
 * out/renderer/early.js, a classic script of its own (renderer/early.ts, no dependency on the app's
 * chunks) that index.html runs before the app's module: while the app compiles, it asks main for
 * the opening screen's data and starts that screen's chunks downloading (it is told which files
 * each screen needs: `__SCREEN_CHUNKS__`, from this very build). The app's chunks carry no compile
 * hints: eager compilation of the whole first load measured slower than V8's lazy one here.
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
    async writeBundle(output) {
      if (!output.dir) return;
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
