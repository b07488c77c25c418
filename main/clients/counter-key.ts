import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Logger, PreferenceStore, SecretCipher } from '../ports.ts';
import type { ConfigFile } from '../settings/preferences.ts';
import { KeyVault } from '../settings/vault.ts';
import type { DocumentKeysPort } from '../store/port.ts';
import { exportPrivateKey, importKeyPair, makeKeyPair, type CounterKeyPair } from './key-wrap.ts';

const SECRET = 'counter.documentsKey';

/** config.json's pins: for the key pair whose public key is `publicKey`, the key sealed with per register. */
const pinsSchema = z.object({
  publicKey: z.string(),
  registers: z.record(z.string(), z.string()),
});

export interface CounterKeyDeps {
  preferences: PreferenceStore<ConfigFile>;
  cipher: SecretCipher;
  keys: DocumentKeysPort;
  counterId: string;
  counterName: () => string;
  now: () => number;
  log: Logger;
}

/**
 * This counter's key pair for the documents on file: made the first time it is needed, its private
 * key kept only as the OS keystore's ciphertext in config.json (the vault, as the API key) — it
 * never leaves this PC — and its public key published in the register with the counter's id and
 * name, for a colleague to grant it the documents' key.
 *
 * With it, which document key this counter seals with in each register (its pin): chosen once, so
 * that a key someone else writes into the register later, wrapped for this counter's public key
 * (anyone can wrap for a public key), is never used to seal what this counter keeps. A new key pair
 * (the keystore lost the old one) starts without pins: its grants are new ones too.
 */
export class CounterKey {
  private readonly d: CounterKeyDeps;
  private readonly vault: KeyVault;
  private pair: Promise<CounterKeyPair> | null = null;

  constructor(deps: CounterKeyDeps) {
    this.d = deps;
    this.vault = new KeyVault(deps.preferences, deps.cipher);
  }

  /** False where the keystore cannot protect the private key (none, Linux basic_text). */
  available(): Promise<boolean> {
    return this.d.cipher.canPersist();
  }

  /** This counter's key pair, made (and kept) the first time. */
  own(): Promise<CounterKeyPair> {
    this.pair ??= this.load().catch((error: unknown) => {
      this.pair = null;
      throw error;
    });
    return this.pair;
  }

  /** Publishes this counter's public key and current name in the register (nothing if unchanged). */
  async publish(): Promise<CounterKeyPair> {
    const pair = await this.own();
    const now = this.d.now();
    await this.d.keys.publish({
      counter_id: this.d.counterId,
      counter_name: this.d.counterName(),
      public_key: pair.publicKey,
      published_at: now,
      updated_at: now,
    });
    return pair;
  }

  /** The document key this counter seals with in the register `registerId`, if it chose one. */
  async pinned(registerId: string): Promise<string | null> {
    const pair = await this.own();
    const pins = this.pins();
    return pins?.publicKey === pair.publicKey ? (pins.registers[registerId] ?? null) : null;
  }

  async pin(registerId: string, keyId: string): Promise<void> {
    const pair = await this.own();
    const pins = this.pins();
    const registers = pins?.publicKey === pair.publicKey ? pins.registers : {};
    this.d.preferences.set('documentKeyPins', {
      publicKey: pair.publicKey,
      registers: { ...registers, [registerId]: keyId },
    } satisfies z.infer<typeof pinsSchema>);
  }

  private pins(): z.infer<typeof pinsSchema> | null {
    const parsed = pinsSchema.safeParse(this.d.preferences.store.documentKeyPins);
    return parsed.success ? parsed.data : null;
  }

  private async load(): Promise<CounterKeyPair> {
    if (!(await this.available()))
      throw new AppError(
        'keystore_unavailable',
        'Il portachiavi del sistema non è disponibile: i documenti conservati non si possono cifrare né aprire',
        { details: { reason: 'no_keystore' } },
      );
    let kept: string | null = null;
    try {
      kept = await this.vault.get(SECRET);
    } catch (error) {
      // The keystore changed (another user profile, a reinstalled system): the old key is lost for
      // good; a new one is made, and a colleague grants the documents' key to it again.
      this.d.log.warn('documents on file: this counter’s private key is unreadable, a new one is made', {
        code: error instanceof AppError ? error.code : 'internal',
      });
    }
    if (kept !== null) {
      try {
        return importKeyPair(kept);
      } catch (error) {
        this.d.log.warn('documents on file: this counter’s private key is damaged, a new one is made', {
          reason: error instanceof Error ? error.message : 'unknown',
        });
      }
    }
    const pair = makeKeyPair();
    await this.vault.set(SECRET, exportPrivateKey(pair.privateKey));
    this.d.log.info('documents on file: this counter’s key pair made');
    return pair;
  }
}
