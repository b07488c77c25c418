import Store from 'electron-store';
import type { PreferenceStore } from '../ports.ts';
import type { ConfigFile } from '../settings/preferences.ts';

/** config.json in userData, through electron-store. */
export function electronPreferences(): PreferenceStore<ConfigFile> {
  return new Store<ConfigFile>({ name: 'config', clearInvalidConfig: false });
}
