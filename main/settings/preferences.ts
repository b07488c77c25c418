import { preferencesSchema, type Preferences } from '../../common/settings.ts';
import { AppError } from '../errors.ts';
import type { PreferenceStore } from '../ports.ts';
import type { Environment } from '../../common/environments.ts';
import { folderProblem, scannerAddressProblem } from './checks.ts';

/** What config.json holds: preferences, and the Openapi credentials (secrets as ciphertext only). */
export interface ConfigFile extends Record<string, unknown> {
  preferences?: Partial<Preferences>;
  /** Secrets by name (`sandbox.key`, `sandbox.token`, …): OS-keystore ciphertext, base64 (vault.ts). */
  secrets?: Partial<Record<string, string>>;
  /** Per environment, what is known about its credentials besides the secrets (credentials.ts). */
  credentials?: Partial<Record<Environment, unknown>>;
  /** The office's PostgreSQL register this counter joined (settings/office.ts); its password is a secret. */
  office?: unknown;
  /** This installation's own id (a UUID made once): whose lease a request being sent is under. */
  counterId?: string;
  /** The documents on file's key this counter seals with, per register, for its key pair (clients/counter-key.ts). */
  documentKeyPins?: unknown;
  /** Before credentials.ts: one secret per environment, used as the Bearer token; migrated on read. */
  keys?: Partial<Record<Environment, string>>;
  /** Per environment, what the last probe found where the spec is silent (main/probe/profiles.ts). */
  profiles?: Partial<Record<Environment, { at?: number } & Record<string, unknown>>>;
  /** The registers whose old absolute paths this counter turned into names (store/legacy-paths.ts). */
  namedPaths?: string[];
}

/** Which registers this counter already named its old absolute paths in (store/legacy-paths.ts). */
export function namedPathsMarker(store: PreferenceStore<ConfigFile>): {
  done(registerId: string): boolean;
  mark(registerId: string): void;
} {
  const saved = () => (Array.isArray(store.store.namedPaths) ? store.store.namedPaths : []);
  return {
    done: (id) => saved().includes(id),
    mark: (id) => store.set('namedPaths', [...saved().filter((s) => s !== id), id]),
  };
}

export function defaultPreferences(defaultArchiveRoot: string): Preferences {
  return {
    environment: 'prova',
    archiveRoot: defaultArchiveRoot,
    operatorName: '',
    counterName: '',
    officeName: '',
    officeAddress: '',
    numberPrefix: '',
    clientPriceDefault: 0,
    clientPrices: {},
    receiptShowsCost: false,
    pollMinutes: 15,
    retentionDays: 0,
    retentionAsked: false,
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
    const preferences = preferencesSchema.parse(merged);
    // Main's own rules too: a folder or a scanner stored before they existed (or by hand) that
    // breaks them is not used.
    if (folderProblem(preferences.archiveRoot)) preferences.archiveRoot = this.defaults.archiveRoot;
    if (preferences.watchFolder !== null && folderProblem(preferences.watchFolder))
      preferences.watchFolder = null;
    preferences.esclScanners = preferences.esclScanners.filter((url) => !scannerAddressProblem(url));
    return preferences;
  }

  /**
   * Writes validated preferences. The page's patches reach here only through the contract's
   * narrower schema and SettingsChanges; main's own (a folder from its dialog) come directly.
   */
  update(patch: Partial<Preferences>): Preferences {
    const parsed = preferencesSchema.partial().strict().safeParse(patch);
    if (!parsed.success)
      throw new AppError('invalid_argument', `Preferenze non valide: ${parsed.error.message}`);
    const next = preferencesSchema.parse({ ...this.get(), ...parsed.data });
    this.store.set('preferences', next);
    return next;
  }
}
