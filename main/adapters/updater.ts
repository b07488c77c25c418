import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../ports.ts';

/*
 * Auto-update through electron-updater, off unless configured. The feed is a plain web folder
 * (electron-builder's "generic" provider) holding the installers and latest*.yml.
 */

const SIX_HOURS = 6 * 3_600_000;

export type UpdateFeed = { kind: 'off'; reason: string } | { kind: 'url'; url: string };

/**
 * Where updates come from: SPORTELLO_UPDATE_URL on this PC wins, otherwise the URL the installer
 * was built with (electron-builder writes it into app-update.yml). Only https feeds count, `off`
 * disables updates, and development runs never update.
 */
export function updateFeed(options: {
  isPackaged: boolean;
  envUrl: string | undefined;
  /** The text of the packaged app-update.yml, null when there is none. */
  builtInConfig: string | null;
}): UpdateFeed {
  if (!options.isPackaged) return { kind: 'off', reason: 'sviluppo' };
  const env = options.envUrl?.trim();
  const builtIn = /^url:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(options.builtInConfig ?? '')?.[1];
  const configured = env || builtIn;
  if (!configured) return { kind: 'off', reason: 'nessun indirizzo di aggiornamento configurato' };
  if (configured === 'off') return { kind: 'off', reason: 'aggiornamenti disattivati' };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return { kind: 'off', reason: `indirizzo di aggiornamento non valido: ${configured}` };
  }
  if (url.protocol !== 'https:')
    return { kind: 'off', reason: 'l’indirizzo di aggiornamento deve essere https' };
  return { kind: 'url', url: url.href };
}

/**
 * Checks now and every six hours, in the background: never blocks start-up, never throws. A
 * downloaded update installs when the app quits.
 */
export async function startUpdater(options: { isPackaged: boolean; log: Logger }): Promise<void> {
  const { log } = options;
  const builtIn = options.isPackaged ? join(process.resourcesPath, 'app-update.yml') : null;
  const feed = updateFeed({
    isPackaged: options.isPackaged,
    envUrl: process.env.SPORTELLO_UPDATE_URL,
    builtInConfig: builtIn && existsSync(builtIn) ? readFileSync(builtIn, 'utf8') : null,
  });
  if (feed.kind === 'off') {
    log.info('updates off', { reason: feed.reason });
    return;
  }
  try {
    // Loaded only when configured: it pulls in a good deal of code the app otherwise never needs.
    const { autoUpdater } = (await import('electron-updater')).default;
    autoUpdater.logger = {
      info: (message?: unknown) => log.info('updater', { message: String(message) }),
      warn: (message?: unknown) => log.warn('updater', { message: String(message) }),
      error: (message?: unknown) => log.error('updater', { message: String(message) }),
    };
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
    autoUpdater.on('update-downloaded', (info) => log.info('update downloaded', { version: info.version }));
    const check = () =>
      autoUpdater
        .checkForUpdates()
        .catch((error: unknown) => log.warn('update check failed', { error: String(error) }));
    await check();
    setInterval(() => void check(), SIX_HOURS).unref();
  } catch (error) {
    log.warn('updater unavailable', { error: String(error) });
  }
}
