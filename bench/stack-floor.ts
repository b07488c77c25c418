import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'vite';
import { CONTENT_SECURITY_POLICY, MIME_TYPES } from '../main/security/policy.ts';

/*
 * What the fixed stack costs before the app draws anything: two pages that show the Home heading
 * and nothing else, built and served like the app (minified, same headers), no app code at all:
 * - React alone: createRoot, one <h2>;
 * - the stack of the first screen: Mantine's styles and provider (with the app's theme), i18next
 *   with the Italian texts, a TanStack Query client, and the heading as a Mantine Title.
 * Their time to the heading, against the same static page, is the floor under the app's own figure.
 */

const ROOT = resolve(import.meta.dirname, '..');

const PAGES = {
  react: `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')).render(createElement('h2', null, 'Sportello di oggi'));
`,
  stack: `
import '@mantine/core/styles.css';
import { MantineProvider, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { initReactI18next, useTranslation } from 'react-i18next';
import { it } from ${JSON.stringify(join(ROOT, 'renderer/i18n/it.ts'))};
import { theme, cssVariablesResolver } from ${JSON.stringify(join(ROOT, 'renderer/theme.ts'))};
void i18next.use(initReactI18next).init({ resources: { it: { translation: it } }, lng: 'it', interpolation: { escapeValue: false } });
const client = new QueryClient();
function Heading() {
  const { t } = useTranslation();
  return h(Title, { order: 2 }, t('home.title'));
}
createRoot(document.getElementById('root')).render(
  h(MantineProvider, { theme, cssVariablesResolver }, h(QueryClientProvider, { client }, h(Heading))),
);
`,
} as const;

export type FloorPage = keyof typeof PAGES;

export interface Floor {
  url: (page: FloorPage) => string;
  close(): Promise<void>;
}

/** Builds the two pages into a temp dir and serves them on 127.0.0.1. */
export async function startFloor(): Promise<Floor> {
  // Inside the project (node_modules/.cache), so that the pages resolve the app's own packages.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'sportello-floor-'));
  const out = join(dir, 'out');
  const input: Record<string, string> = {};
  for (const [name, code] of Object.entries(PAGES)) {
    writeFileSync(join(dir, `${name}.js`), code);
    writeFileSync(
      join(dir, `${name}.html`),
      `<!doctype html><html lang="it"><head><meta charset="UTF-8" /><title>Sportello</title>` +
        `<script type="module" src="./${name}.js"></script></head><body><div id="root"></div></body></html>`,
    );
    input[name] = join(dir, `${name}.html`);
  }
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    base: './',
    build: { outDir: out, emptyOutDir: true, minify: true, rollupOptions: { input } },
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = resolve(out, decodeURIComponent(path).replace(/^\/+/, ''));
    if (!file.startsWith(out + sep)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, {
            'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
            'Content-Security-Policy': CONTENT_SECURITY_POLICY,
            'Cache-Control': 'no-cache',
          })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (page) => `${origin}/${page}.html`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
