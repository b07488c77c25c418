import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
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
