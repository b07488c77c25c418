import type { KeyObject } from 'node:crypto';
import type { UpdateInfo } from 'builder-util-runtime';
import type * as ElectronUpdater from 'electron-updater';
import type * as ProviderModule from 'electron-updater/out/providers/Provider.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../ports.ts';
import {
  pinnedKey,
  UpdateRefused,
  verifyInstaller,
  verifyUpdateMetadata,
  type VerifiedUpdate,
} from '../update/signed-feed.ts';

/*
 * Auto-update through electron-updater, off unless the build configured a feed AND pinned the
 * release key. The feed is a plain web folder with the installers, latest*.yml and their
 * signatures latest*.yml.sig (main/update/signed-feed.ts says what is verified and how).
 */

const SIX_HOURS = 6 * 3_600_000;

export type UpdateFeed = { kind: 'off'; reason: string } | { kind: 'url'; url: string };

/**
 * Where updates come from: only the URL the installer was built with (electron-builder writes it
 * into app-update.yml; nothing on the PC overrides it), only https, only with a pinned key, and
 * never in development.
 */
export function updateFeed(options: {
  isPackaged: boolean;
  /** The text of the packaged app-update.yml, null when there is none. */
  builtInConfig: string | null;
  /** The pinned public key; '' when the build has none. */
  pinnedKey: string;
}): UpdateFeed {
  if (!options.isPackaged) return { kind: 'off', reason: 'sviluppo' };
  const configured = /^url:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(options.builtInConfig ?? '')?.[1];
  if (!configured) return { kind: 'off', reason: 'nessun indirizzo di aggiornamento configurato' };
  if (configured === 'off') return { kind: 'off', reason: 'aggiornamenti disattivati' };
  if (!options.pinnedKey.trim())
    return { kind: 'off', reason: 'nessuna chiave di firma degli aggiornamenti incorporata' };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return { kind: 'off', reason: 'indirizzo di aggiornamento non valido' };
  }
  if (url.protocol !== 'https:')
    return { kind: 'off', reason: 'l’indirizzo di aggiornamento deve essere https' };
  return { kind: 'url', url: url.href };
}

/**
 * electron-updater's provider for a web folder, reading latest*.yml only with a valid signature of
 * the pinned key on a statement for this very list (channel, platform) that has not expired, and
 * only for a newer version. `verified` receives what it returned.
 */
export function signedProviderClass(
  updater: Pick<typeof ElectronUpdater, 'Provider'>,
  providerModule: Pick<typeof ProviderModule, 'resolveFiles'>,
  trust: {
    key: KeyObject;
    currentVersion: string;
    verified: (update: VerifiedUpdate) => void;
    /** The clock the signed list's expiry is judged by. */
    now: () => number;
  },
) {
  const Base = updater.Provider;
  return class SignedProvider extends Base<UpdateInfo> {
    private readonly baseUrl: URL;

    constructor(options: { url: string }, _updater: unknown, runtime: ProviderModule.ProviderRuntimeOptions) {
      super({ ...runtime, isUseMultipleRangeRequest: false });
      this.baseUrl = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    }

    async getLatestVersion() {
      const file = `${this.getDefaultChannelName()}.yml`;
      const metadata = await this.httpRequest(new URL(file, this.baseUrl));
      const signature = await this.httpRequest(new URL(`${file}.sig`, this.baseUrl)).catch(() => null);
      const update = verifyUpdateMetadata({
        metadata: Buffer.from(metadata ?? '', 'utf8'),
        signature,
        key: trust.key,
        currentVersion: trust.currentVersion,
        file,
        now: trust.now(),
      });
      trust.verified(update);
      return update as unknown as UpdateInfo;
    }

    resolveFiles(info: UpdateInfo) {
      return providerModule.resolveFiles(info, this.baseUrl);
    }
  };
}

/**
 * Checks now and every six hours, in the background: never blocks start-up, never throws. A
 * downloaded update installs when the app quits, once its installer matched the signed metadata.
 */
export async function startUpdater(options: {
  isPackaged: boolean;
  version: string;
  log: Logger;
  /** The release's Ed25519 public key the build pinned (main/index.ts); '' when none. */
  pinnedKey: string;
}): Promise<void> {
  const { log } = options;
  const builtIn = options.isPackaged ? join(process.resourcesPath, 'app-update.yml') : null;
  const feed = updateFeed({
    isPackaged: options.isPackaged,
    builtInConfig: builtIn && existsSync(builtIn) ? readFileSync(builtIn, 'utf8') : null,
    pinnedKey: options.pinnedKey,
  });
  if (feed.kind === 'off') {
    log.info('updates off', { reason: feed.reason });
    return;
  }
  let key: KeyObject;
  try {
    key = pinnedKey(options.pinnedKey);
  } catch (error) {
    log.warn('updates off', { reason: error instanceof UpdateRefused ? error.reason : 'bad_key' });
    return;
  }
  try {
    // Loaded only when configured: it pulls in a good deal of code the app otherwise never needs.
    const updater = (await import('electron-updater')).default;
    const providerModule = await import('electron-updater/out/providers/Provider.js');
    const { autoUpdater } = updater;
    let verified: VerifiedUpdate | null = null;
    autoUpdater.logger = {
      info: (message?: unknown) => log.info('updater', { message: String(message) }),
      warn: (message?: unknown) => log.warn('updater', { message: String(message) }),
      error: (message?: unknown) => log.error('updater', { message: String(message) }),
    };
    autoUpdater.autoDownload = true;
    autoUpdater.allowDowngrade = false;
    // True so that electron-updater arms its quit handler; held false from each download until
    // the installer is checked against the signed metadata (the handler reads it at quit time).
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.setFeedURL({
      provider: 'custom',
      url: feed.url,
      updateProvider: signedProviderClass(updater, providerModule, {
        key,
        currentVersion: options.version,
        verified: (update) => (verified = update),
        now: Date.now,
      }) as never,
    });
    autoUpdater.on('update-downloaded', (event) => {
      autoUpdater.autoInstallOnAppQuit = false;
      const update = verified;
      if (!update) return;
      verifyInstaller(event.downloadedFile, update).then(
        () => {
          autoUpdater.autoInstallOnAppQuit = true;
          log.info('update downloaded and verified', { version: update.version });
        },
        (error: unknown) =>
          log.warn('update refused', { reason: error instanceof UpdateRefused ? error.reason : 'bad_hash' }),
      );
    });
    const check = () =>
      autoUpdater.checkForUpdates().catch((error: unknown) =>
        log.warn('update check failed', {
          reason:
            error instanceof UpdateRefused ? error.reason : error instanceof Error ? error.name : 'unknown',
        }),
      );
    await check();
    setInterval(() => void check(), SIX_HOURS).unref();
  } catch (error) {
    log.warn('updater unavailable', { error: error instanceof Error ? error.name : 'unknown' });
  }
}
