import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ocrAssets } from '../../../main/reading/ocr.ts';
import { tempDir } from '../../support/tmp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** electron-builder's own loader and JSON-schema check, exactly as `npm run dist` runs them. */
async function load(projectDir: string): Promise<Configuration> {
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value == null ? [] : [value]);
const targetNames = (target: unknown) =>
  list(target).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
/** `files` as plain patterns, whether written as strings or normalised by the loader into FileSets. */
const fileFilters = (platform: { files?: unknown } | null | undefined): string[] =>
  list(platform?.files).flatMap((entry) =>
    typeof entry === 'string' ? [entry] : (list((entry as { filter?: unknown }).filter) as string[]),
  );

describe('electron-builder.yml', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await load(ROOT);
  }, 30_000);

  it("passes electron-builder 26's own schema", () => {
    expect(config.appId).toBeTruthy();
  });

  it('the schema check is real: a misspelt option fails it', async () => {
    const dir = tempDir();
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    writeFileSync(join(dir, 'electron-builder.yml'), yml.replace('runAsNode:', 'runAsNod:'));
    await expect(load(dir)).rejects.toThrow(/Invalid configuration object[\s\S]*electronFuses/);
  }, 30_000);

  it('names the app in Italian, with its metadata and the appId main/index.ts gives Windows', () => {
    expect(config.productName).toBe('Sportello');
    expect(config.copyright).toMatch(/Sportello/);
    expect((config.extraMetadata as { description?: string } | null)?.description).toMatch(/pratiche/i);
    const index = readFileSync(join(ROOT, 'main', 'index.ts'), 'utf8');
    expect(index).toContain(`const APP_ID = '${config.appId}'`);
  });

  it('flips every security fuse', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("packs into an asar, with better-sqlite3's and sharp's native code unpacked", () => {
    expect(config.asar).not.toBe(false);
    const unpack = list(config.asarUnpack);
    expect(unpack).toContain('node_modules/better-sqlite3/prebuilds/*.node');
    expect(unpack).toContain('node_modules/@img/**');
  });

  it('ships every file the document reader loads from node_modules, and none it never loads', () => {
    /** A resolved file as the installer's filters see it: from node_modules/ on. */
    const inPackage = (path: string) => path.replace(/\\/g, '/').replace(/^.*?(?=node_modules\/)/, '');
    const assets = ocrAssets();
    const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const cores = [
      'tesseract-core-lstm',
      'tesseract-core-simd-lstm',
      'tesseract-core-relaxedsimd-lstm',
    ].flatMap((core) => [
      `node_modules/tesseract.js-core/${core}.js`,
      `node_modules/tesseract.js-core/${core}.wasm`,
    ]);
    const needed = [
      inPackage(join(assets.langPath, 'ita.traineddata.gz')),
      inPackage(assets.workerPath),
      'node_modules/tesseract.js/src/index.js',
      inPackage(wasm),
      ...cores,
    ];
    const unused = [
      'node_modules/tesseract.js-core/tesseract-core-simd-lstm.wasm.js',
      'node_modules/tesseract.js-core/tesseract-core-simd.wasm',
      'node_modules/tesseract.js-core/tesseract-core.js',
      'node_modules/@tesseract.js-data/ita/4.0.0/ita.traineddata.gz',
      'node_modules/tesseract.js/dist/tesseract.min.js',
    ];
    for (const platform of [config, config.win, config.linux, config.mac]) {
      const excluded = [...fileFilters(config), ...(platform === config ? [] : fileFilters(platform))]
        .filter((f) => f.startsWith('!'))
        .map((f) => f.slice(1));
      const dropped = (path: string) => excluded.some((pattern) => minimatch(path, pattern, { dot: true }));
      for (const path of needed) expect(dropped(path), `${path} ships`).toBe(false);
      for (const path of unused) expect(dropped(path), `${path} is left out`).toBe(true);
    }
  });

  it('builds the reader’s thread beside main and starts it from there', () => {
    const vite = readFileSync(join(ROOT, 'electron.vite.config.ts'), 'utf8');
    expect(vite).toContain("'reading-worker': resolve(import.meta.dirname, 'main/reading/worker.ts')");
    const index = readFileSync(join(ROOT, 'main', 'index.ts'), 'utf8');
    expect(index).toContain("reading: { script: join(import.meta.dirname, 'reading-worker.js') }");
  });

  it('ships the build output, not the sources or native build trees', () => {
    const files = fileFilters(config);
    expect(files).toContain('out/**');
    expect(files).toContain('!out/**/*.map');
    expect(files).toContain('!node_modules/better-sqlite3/{deps,src}/**');
  });

  it("leaves other platforms' prebuilds out of each installer", () => {
    const others = { win: ['linux', 'darwin'], linux: ['win32', 'darwin'], mac: ['win32', 'linux'] } as const;
    for (const [platform, foreign] of Object.entries(others)) {
      const filters = fileFilters(config[platform as keyof typeof others]).join('\n');
      for (const os of foreign) {
        expect(filters, `${platform} drops ${os} better-sqlite3`).toMatch(
          new RegExp(`!node_modules/better-sqlite3/prebuilds/\\{[^}]*${os}`),
        );
        expect(filters, `${platform} drops ${os} sharp`).toMatch(
          new RegExp(`!\\*\\*/node_modules/@img/sharp-\\*\\{[^}]*${os}`),
        );
      }
    }
  });

  it('builds a per-user, one-click NSIS installer for Windows that keeps the data on uninstall', () => {
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, deleteAppDataOnUninstall: false });
  });

  it('builds an AppImage and a deb for Linux, filed under Office, with a maintainer', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Office');
    expect(config.linux?.maintainer).toMatch(/<[^@>\s]+@[^>\s]+>/);
  });

  it('builds a dmg for macOS that may use the camera', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(config.mac?.extendInfo).toHaveProperty('NSCameraUsageDescription');
    const entitlements = readFileSync(join(ROOT, config.mac!.entitlements!), 'utf8');
    expect(entitlements).toContain('com.apple.security.device.camera');
  });

  it('publishes to a generic feed whose URL comes from SPORTELLO_UPDATE_URL', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', url: '${env.SPORTELLO_UPDATE_URL}' });
  });

  it('has a 512×512 PNG icon, drawn from build/icon.svg', async () => {
    expect(config.icon).toBe('build/icon.png');
    const meta = await sharp(join(ROOT, 'build', 'icon.png')).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 512, height: 512 });
    expect(readFileSync(join(ROOT, 'build', 'icon.svg'), 'utf8')).toContain('<svg');
  });
});
