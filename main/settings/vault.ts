import type { Environment } from '../../common/environments.ts';
import type { KeyStatus } from '../../common/settings.ts';
import { AppError } from '../errors.ts';
import type { PreferenceStore, SecretCipher } from '../ports.ts';
import type { ConfigFile } from './preferences.ts';

/**
 * The API keys, one per environment. On disk only as ciphertext from the OS keystore; when the
 * keystore cannot protect them (no keystore, Linux 'basic_text') the key lives for this session
 * only, and the status says so. Keys never leave main: callers outside get a KeyStatus.
 */
export class KeyVault {
  private readonly store: PreferenceStore<ConfigFile>;
  private readonly cipher: SecretCipher;
  private readonly session = new Map<Environment, string>();
  private readonly cache = new Map<Environment, string>();

  constructor(store: PreferenceStore<ConfigFile>, cipher: SecretCipher) {
    this.store = store;
    this.cipher = cipher;
  }

  async status(environment: Environment): Promise<KeyStatus> {
    if (environment === 'prova') return { environment, set: true, hint: null, persisted: true };
    const key = await this.get(environment);
    return {
      environment,
      set: key !== null,
      hint: key ? `••••${key.slice(-4)}` : null,
      persisted: key !== null && !this.session.has(environment),
    };
  }

  async set(environment: Environment, key: string): Promise<KeyStatus> {
    if (environment === 'prova') throw new AppError('not_allowed', "L'ambiente Prova non usa chiavi");
    this.cache.delete(environment);
    this.session.delete(environment);
    if (await this.cipher.canPersist()) {
      const ciphertext = await this.cipher.encrypt(key);
      this.store.set('keys', {
        ...this.store.store.keys,
        [environment]: Buffer.from(ciphertext).toString('base64'),
      });
    } else {
      this.session.set(environment, key);
      this.removeStored(environment);
    }
    this.cache.set(environment, key);
    return this.status(environment);
  }

  async clear(environment: Environment): Promise<KeyStatus> {
    this.cache.delete(environment);
    this.session.delete(environment);
    this.removeStored(environment);
    return this.status(environment);
  }

  /** The key in clear, for the engine's Authorization header only. */
  async get(environment: Environment): Promise<string | null> {
    const known = this.session.get(environment) ?? this.cache.get(environment);
    if (known) return known;
    const stored = this.store.store.keys?.[environment];
    if (!stored) return null;
    try {
      const key = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
      this.cache.set(environment, key);
      return key;
    } catch (error) {
      throw new AppError(
        'vault_unavailable',
        'La chiave API salvata non si può decifrare (portachiavi del sistema cambiato o non disponibile): inseritela di nuovo',
        { cause: error },
      );
    }
  }

  private removeStored(environment: Environment): void {
    const keys = { ...this.store.store.keys };
    if (!(environment in keys)) return;
    delete keys[environment];
    this.store.set('keys', keys);
  }
}
