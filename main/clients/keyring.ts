import { AppError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { CounterKeyRow, DocumentKeyRow, KeyGrantRow } from '../store/document-keys.ts';
import type { DocumentKeysPort } from '../store/port.ts';
import type { CounterKey } from './counter-key.ts';
import { documentKeyId, makeDocumentKey, unwrapWith, wrapFor } from './key-wrap.ts';

/** Where this counter stands with the documents on file of the register. */
export type AccessState =
  /** No counter holds a document key yet: the first document kept here makes the office's. */
  | 'first'
  /** This counter holds every key documents are sealed with. */
  | 'granted'
  /** It holds some of them: a colleague who holds the others grants them. */
  | 'partial'
  /** It holds none yet: a colleague grants them. */
  | 'waiting'
  /** No OS keystore: it can neither hold a key nor keep documents. */
  | 'unavailable';

/** The refusal a counter gives when it cannot open (or seal) the office's documents on file yet. */
export function notGranted(reason: 'not_granted' | 'key_withdrawn' = 'not_granted'): AppError {
  return new AppError(
    'documents_not_granted',
    'Questo sportello non ha ancora l’accesso ai documenti conservati: chiedete a un collega di concederlo da Impostazioni → Ufficio',
    { details: { reason } },
  );
}

/**
 * The document keys of the register as this counter holds them: opened from the grants made to its
 * key pair, made when the office has none, granted to another counter's public key, and the one it
 * seals with. One key serves the whole office (documents are sealed each under a key derived from
 * it and the row: sealer.ts), so granting a counter is one wrap per key, not one per document;
 * more than one key exists only when registers that each had one were joined (a counter's log
 * moved into the office, the sealing key of before moved in) — a grant then carries them all.
 */
export class Keyring {
  private readonly d: {
    keys: DocumentKeysPort;
    counterKey: CounterKey;
    counterId: string;
    now: () => number;
    log: Logger;
  };

  constructor(deps: Keyring['d']) {
    this.d = deps;
  }

  /** The document keys this counter holds, by id (grants to an older key pair of it are void). */
  async held(): Promise<Map<string, Buffer>> {
    const pair = await this.d.counterKey.own();
    const held = new Map<string, Buffer>();
    for (const grant of await this.d.keys.grantsTo(this.d.counterId)) {
      if (grant.public_key !== pair.publicKey) continue;
      try {
        held.set(
          grant.key_id,
          unwrapWith(pair, grant.wrapped, { keyId: grant.key_id, counterId: this.d.counterId }),
        );
      } catch (error) {
        // Written into the register by someone without the key (or damaged): not a key of ours.
        this.d.log.warn('documents on file: a grant to this counter does not open', {
          keyId: grant.key_id,
          reason: error instanceof Error ? error.message : 'unknown',
        });
      }
    }
    return held;
  }

  /** The key to open documents sealed with `keyId`. */
  async forOpening(keyId: string): Promise<Buffer> {
    const key = (await this.held()).get(keyId);
    if (key) return key;
    // Its clerk will ask a colleague: this counter must be in their list, under its current name.
    await this.d.counterKey.publish();
    throw notGranted();
  }

  /**
   * The key this counter seals with: the one it pinned in this register; else the oldest it holds
   * (pinned from then on); else, when no counter holds a key, a new one made here — the office's
   * first. A counter that holds none while others do is refused until a colleague grants it.
   */
  async forSealing(): Promise<{ id: string; key: Buffer }> {
    const registerId = await this.d.keys.registerId();
    const held = await this.held();
    const pinned = await this.d.counterKey.pinned(registerId);
    if (pinned) {
      const key = held.get(pinned);
      if (key) return { id: pinned, key };
      // Only a hand in the register takes a grant away: better no document kept than one sealed
      // with a key someone else may have written for this counter.
      this.d.log.warn('documents on file: the key this counter seals with is no longer granted to it', {
        keyId: pinned,
      });
      throw notGranted('key_withdrawn');
    }
    const oldest = (await this.d.keys.keys()).find((k) => held.has(k.id));
    if (oldest) {
      await this.d.counterKey.pin(registerId, oldest.id);
      return { id: oldest.id, key: held.get(oldest.id)! };
    }
    const pair = await this.d.counterKey.publish();
    const key = makeDocumentKey();
    const id = documentKeyId(key);
    const made = await this.d.keys.createKey(
      { id, created_at: this.d.now(), created_by: this.d.counterId },
      this.grantOf(id, key, { counter_id: this.d.counterId, public_key: pair.publicKey }),
    );
    if (!made) throw notGranted();
    this.d.log.info('documents on file: the office’s document key made here', { keyId: id });
    await this.d.counterKey.pin(registerId, id);
    return { id, key };
  }

  /** A key made elsewhere that this counter holds already (the sealing key of before): granted to itself. */
  async adopt(key: Buffer, createdAt: number): Promise<string> {
    const id = documentKeyId(key);
    if ((await this.held()).has(id)) return id;
    const pair = await this.d.counterKey.publish();
    await this.d.keys.addKey(
      { id, created_at: createdAt, created_by: this.d.counterId },
      this.grantOf(id, key, { counter_id: this.d.counterId, public_key: pair.publicKey }),
    );
    return id;
  }

  /**
   * Grants `counter` — its public key exactly as given, the one the clerk confirmed — every key this
   * counter holds that it lacks. Answers how many.
   */
  async grantTo(counter: Pick<CounterKeyRow, 'counter_id' | 'public_key'>): Promise<number> {
    const missing = await this.missingFor(counter);
    for (const [id, key] of missing) await this.d.keys.grant(this.grantOf(id, key, counter));
    return missing.size;
  }

  /** The keys this counter holds that `counter` (with this public key) has no grant of. */
  async missingFor(counter: Pick<CounterKeyRow, 'counter_id' | 'public_key'>): Promise<Map<string, Buffer>> {
    const has = new Set(
      (await this.d.keys.grantsTo(counter.counter_id))
        .filter((g) => g.public_key === counter.public_key)
        .map((g) => g.key_id),
    );
    return new Map([...(await this.held())].filter(([id]) => !has.has(id)));
  }

  /** This counter's standing, and the keys alive in the register (some counter holds each). */
  async access(): Promise<{ state: AccessState; alive: DocumentKeyRow[]; held: Set<string> }> {
    if (!(await this.d.counterKey.available())) return { state: 'unavailable', alive: [], held: new Set() };
    const [keys, grants, counters, held] = await Promise.all([
      this.d.keys.keys(),
      this.d.keys.grants(),
      this.d.keys.counters(),
      this.held(),
    ]);
    const published = new Map(counters.map((c) => [c.counter_id, c.public_key]));
    const alive = keys.filter(
      (k) =>
        held.has(k.id) ||
        grants.some((g) => g.key_id === k.id && published.get(g.counter_id) === g.public_key),
    );
    const ids = new Set(held.keys());
    const state: AccessState = !alive.length
      ? 'first'
      : alive.every((k) => ids.has(k.id))
        ? 'granted'
        : ids.size
          ? 'partial'
          : 'waiting';
    return { state, alive, held: ids };
  }

  private grantOf(
    keyId: string,
    key: Buffer,
    to: Pick<CounterKeyRow, 'counter_id' | 'public_key'>,
  ): KeyGrantRow {
    return {
      key_id: keyId,
      counter_id: to.counter_id,
      public_key: to.public_key,
      wrapped: wrapFor(to.public_key, key, { keyId, counterId: to.counter_id }),
      granted_by: this.d.counterId,
      granted_at: this.d.now(),
    };
  }
}
