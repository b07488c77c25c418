import {
  preferencesPatchSchema,
  preferencesSchema,
  type Preferences,
  type PreferencesPatch,
} from '../../common/settings.ts';
import { AppError } from '../errors.ts';
import type { PreferenceStore } from '../ports.ts';
import type { Environment } from '../../common/environments.ts';

/** What config.json holds: preferences, and the Openapi credentials (secrets as ciphertext only). */
export interface ConfigFile extends Record<string, unknown> {
  preferences?: Partial<Preferences>;
  /** Secrets by name (`sandbox.key`, `sandbox.token`, …): OS-keystore ciphertext, base64 (vault.ts). */
  secrets?: Partial<Record<string, string>>;
  /** Per environment, what is known about its credentials besides the secrets (credentials.ts). */
  credentials?: Partial<Record<Environment, unknown>>;
  /** Before credentials.ts: one secret per environment, used as the Bearer token; migrated on read. */
  keys?: Partial<Record<Environment, string>>;
  /** Per environment, what the last probe found where the spec is silent (main/probe/profiles.ts). */
  profiles?: Partial<Record<Environment, { at?: number } & Record<string, unknown>>>;
}

export function defaultPreferences(defaultArchiveRoot: string): Preferences {
  return {
    environment: 'prova',
    archiveRoot: defaultArchiveRoot,
    operatorName: '',
    officeName: '',
    pollMinutes: 15,
    retentionDays: 0,
    language: 'it',
    notifications: true,
    watchFolder: null,
    esclScanners: [],
  };
}

/** The office's preferences over electron-store (conf in tests): defaults filled, every write validated. */
export class PreferencesService {
  private readonly store: PreferenceStore<ConfigFile>;
  private readonly defaults: Preferences;

  constructor(store: PreferenceStore<ConfigFile>, defaultArchiveRoot: string) {
    this.store = store;
    this.defaults = defaultPreferences(defaultArchiveRoot);
  }

  get(): Preferences {
    const saved = this.store.store.preferences ?? {};
    // A hand-edited or older config.json may hold anything: keep what is valid, default the rest.
    const merged: Record<string, unknown> = { ...this.defaults };
    for (const [key, value] of Object.entries(saved)) {
      const field = preferencesSchema.shape[key as keyof Preferences];
      if (field?.safeParse(value).success) merged[key] = value;
    }
    return preferencesSchema.parse(merged);
  }

  update(patch: PreferencesPatch): Preferences {
    const parsed = preferencesPatchSchema.safeParse(patch);
    if (!parsed.success)
      throw new AppError('invalid_argument', `Preferenze non valide: ${parsed.error.message}`);
    const next = preferencesSchema.parse({ ...this.get(), ...parsed.data });
    this.store.set('preferences', next);
    return next;
  }
}
