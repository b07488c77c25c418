import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './support.ts';

/** What the built renderer weighs on the wire (gzip), from out/renderer after `npm run build`. */
function bundleFigures(outDir: string): Figure[] | string {
  const assets = join(outDir, 'assets');
  const index = join(outDir, 'index.html');
  if (!existsSync(index) || !existsSync(assets)) return 'build first (npm run build)';
  const html = readFileSync(index, 'utf8');
  // The initial load: what index.html links to (entry script, its preloads, the CSS).
  const linked = new Set([...html.matchAll(/(?:src|href)="[./]*assets\/([^"]+)"/g)].map((m) => m[1]!));
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  const gz = (f: string) => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length / 1024;
  const sum = (list: string[]) => list.reduce((n, f) => n + gz(f), 0);
  const initial = files.filter((f) => linked.has(f));
  return [
    {
      section: 'renderer (out/renderer)',
      name: 'initial JS+CSS, gzip',
      value: sum(initial),
      unit: 'KB',
      baseline: { name: 'all chunks', value: sum(files) },
    },
  ];
}

/**
 * RENDERER SLOT — to be completed by the lead: time to first render of Home and of a 10 000-row
 * Pratiche table in Chromium through test/harness. Return more Figures here (with a baseline each,
 * e.g. an empty page in the same browser); the bundle size below is already measured.
 */
export async function benchRenderer(
  outDir = join(import.meta.dirname, '..', 'out', 'renderer'),
): Promise<Figure[] | string> {
  return bundleFigures(outDir);
}
