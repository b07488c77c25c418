import Conf from 'conf';
import type { PreferenceStore } from '../../ports.ts';
import type { ConfigFile } from '../../settings/preferences.ts';

/** The same config.json electron-store writes (electron-store is conf plus Electron's paths). */
export function confPreferences(userData: string): PreferenceStore<ConfigFile> {
  return new Conf<ConfigFile>({
    cwd: userData,
    configName: 'config',
    projectName: 'sportello',
    clearInvalidConfig: false,
  });
}
