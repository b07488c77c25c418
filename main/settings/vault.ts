import type { Environment } from '../../common/environments.ts';
import { AppError } from '../errors.ts';
import type { PreferenceStore, SecretCipher } from '../ports.ts';
import type { ConfigFile } from './preferences.ts';

/**
 * The secrets the app keeps: per real environment, the account's API key and the Bearer token; the
 * office database's password; this counter's private key for the documents on file.
 */
export type SecretName =
  `${Exclude<Environment, 'prova'>}.${'key' | 'token'}` | 'office.password' | 'counter.documentsKey';

/**
 * Secrets by name. On disk only as ciphertext from the OS keystore; when the keystore cannot protect
 * them (no keystore, Linux 'basic_text') a secret lives for this session only, and `sessionOnly`
 * says so. Secrets never leave main: what the renderer learns is built by credentials.ts.
 */
export class KeyVault {
  private readonly store: PreferenceStore<ConfigFile>;
  private readonly cipher: SecretCipher;
  private readonly session = new Map<SecretName, string>();
  private readonly cache = new Map<SecretName, string>();

  constructor(store: PreferenceStore<ConfigFile>, cipher: SecretCipher) {
    this.store = store;
    this.cipher = cipher;
  }

  /** Stores the secret; false when it is kept for this session only. */
  async set(name: SecretName, secret: string): Promise<boolean> {
    this.cache.delete(name);
    this.session.delete(name);
    if (await this.cipher.canPersist()) {
      const ciphertext = await this.cipher.encrypt(secret);
      this.store.set('secrets', {
        ...this.store.store.secrets,
        [name]: Buffer.from(ciphertext).toString('base64'),
      });
      this.cache.set(name, secret);
      return true;
    }
    this.session.set(name, secret);
    this.removeStored(name);
    return false;
  }

  /** Stores ciphertext made earlier by the same keystore (a migration), without decrypting it. */
  adopt(name: SecretName, base64Ciphertext: string): void {
    this.cache.delete(name);
    this.session.delete(name);
    this.store.set('secrets', { ...this.store.store.secrets, [name]: base64Ciphertext });
  }

  delete(name: SecretName): void {
    this.cache.delete(name);
    this.session.delete(name);
    this.removeStored(name);
  }

  has(name: SecretName): boolean {
    return this.session.has(name) || this.cache.has(name) || !!this.store.store.secrets?.[name];
  }

  /** Whether a secret set now would be kept on disk (the keystore protects it), not for this session only. */
  persistent(): Promise<boolean> {
    return this.cipher.canPersist();
  }

  sessionOnly(name: SecretName): boolean {
    return this.session.has(name);
  }

  /** The secret in clear, for an Authorization header only. */
  async get(name: SecretName): Promise<string | null> {
    const known = this.session.get(name) ?? this.cache.get(name);
    if (known) return known;
    const stored = this.store.store.secrets?.[name];
    if (!stored) return null;
    try {
      const secret = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
      this.cache.set(name, secret);
      return secret;
    } catch (error) {
      throw new AppError(
        'vault_unavailable',
        'Le credenziali salvate non si possono decifrare (portachiavi del sistema cambiato o non disponibile): inseritele di nuovo',
        { cause: error, details: { what: name.split('.')[1] } },
      );
    }
  }

  private removeStored(name: SecretName): void {
    const secrets = { ...this.store.store.secrets };
    if (!(name in secrets)) return;
    delete secrets[name];
    this.store.set('secrets', secrets);
  }
}
