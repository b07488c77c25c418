import type { FilesAccess } from '../../common/clients.ts';
import { AppError } from '../errors.ts';
import type { Dialogs, Logger } from '../ports.ts';
import type { DocumentKeysPort, TrailPort } from '../store/port.ts';
import type { CounterKey } from './counter-key.ts';
import { fingerprint } from './key-wrap.ts';
import { notGranted, type Keyring } from './keyring.ts';

export interface DocumentsAccessDeps {
  keys: DocumentKeysPort;
  trail: TrailPort;
  keyring: Keyring;
  counterKey: CounterKey;
  dialogs: Dialogs;
  counterId: string;
  counter: () => string;
  operator: () => string;
  log: Logger;
}

/**
 * Impostazioni → Ufficio, "Accesso ai documenti conservati": this counter's key fingerprint, the
 * other counters of the register and whether they hold the documents' key, and granting it to
 * one. Anyone who can write into the register can publish a public key under any name, so a grant
 * is never made silently: main asks the clerk in its own dialog, showing the counter's name and its
 * key's fingerprint — which the counter itself shows on its own screen — and wraps the key for
 * exactly the public key it showed.
 */
export class DocumentsAccess {
  private readonly d: DocumentsAccessDeps;

  constructor(deps: DocumentsAccessDeps) {
    this.d = deps;
  }

  async status(): Promise<FilesAccess> {
    const self = { counterId: this.d.counterId, name: this.d.counter() };
    const access = await this.d.keyring.access();
    if (access.state === 'unavailable')
      return { self: { ...self, fingerprint: null, state: 'unavailable' }, counters: [] };
    // The name shown here is the one the others read: published again when it changed.
    const own = await this.d.counterKey.publish();
    const [counters, grants] = await Promise.all([this.d.keys.counters(), this.d.keys.grants()]);
    return {
      self: { ...self, fingerprint: fingerprint(own.publicKey), state: access.state },
      counters: counters
        .filter((c) => c.counter_id !== this.d.counterId)
        .map((c) => {
          const has = new Set(
            grants
              .filter((g) => g.counter_id === c.counter_id && g.public_key === c.public_key)
              .map((g) => g.key_id),
          );
          return {
            counterId: c.counter_id,
            name: c.counter_name,
            fingerprint: fingerprint(c.public_key),
            publishedAt: c.published_at,
            granted: access.alive.length > 0 && access.alive.every((k) => has.has(k.id)),
            canGrant: [...access.held].some((id) => !has.has(id)),
          };
        }),
    };
  }

  /** Grants `counterId` every document key this counter holds that it lacks, once the clerk confirms. */
  async grant(counterId: string): Promise<FilesAccess> {
    if (counterId === this.d.counterId)
      throw new AppError('invalid_argument', 'Questo sportello non può concedere l’accesso a sé stesso', {
        details: { reason: 'self' },
      });
    const counter = await this.d.keys.counter(counterId);
    if (!counter)
      throw new AppError('not_found', 'Sportello non trovato nel registro', {
        details: { reason: 'counter' },
      });
    const missing = await this.d.keyring.missingFor(counter);
    if (!missing.size) {
      if (!(await this.d.keyring.held()).size) throw notGranted();
      return this.status();
    }
    const print = fingerprint(counter.public_key);
    const confirmed = await this.d.dialogs.confirm({
      title: 'Documenti conservati',
      message: `Concedere allo sportello «${counter.counter_name}» l’accesso ai documenti conservati dei clienti?`,
      detail:
        `Impronta della chiave dello sportello «${counter.counter_name}»: ${print}\n\n` +
        'Controllate che sia la stessa che quello sportello mostra in Impostazioni → Ufficio. ' +
        'Se è diversa non concedete l’accesso: la chiave potrebbe essere stata scritta nel registro da altri.',
      confirm: 'Concedi l’accesso',
    });
    if (!confirmed)
      throw new AppError('not_confirmed', 'Accesso ai documenti conservati non concesso: non confermato');
    // Exactly the key shown in the dialog, even if the register changed meanwhile.
    const granted = await this.d.keyring.grantTo(counter);
    await this.d.trail.add(null, 'documents_access_granted', this.d.operator(), {
      counter: counter.counter_name,
      fingerprint: print,
      keys: granted,
    });
    this.d.log.info('documents on file: access granted to a counter', { counterId, keys: granted });
    return this.status();
  }
}
