import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type {
  OfficeCheck,
  OfficeForm,
  OfficeLinkState,
  OfficePrepare,
  OfficePrepared,
  OfficeStatus,
} from '../../common/office.ts';
import { checkConnection, describeFailure, type OfficeDbConfig } from '../db/postgres/connection.ts';
import { prepareRegister, PrepareRefused } from '../db/postgres/prepare.ts';
import { AppError } from '../errors.ts';
import type { Dialogs, Logger, PreferenceStore, SecretCipher } from '../ports.ts';
import { OfficePassword, tlsWords, type OfficeServer } from './office-password.ts';
import type { ConfigFile } from './preferences.ts';
import { KeyVault } from './vault.ts';

/** The office's register as config.json keeps it: everything but the password (the vault's). */
export const storedOfficeSchema = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1).max(63),
  user: z.string().min(1).max(63),
  tls: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('disable') }),
    z.object({ mode: z.literal('verify-full'), caFile: z.string().min(1).max(4096) }),
  ]),
  /** The id of the office register this counter's log was moved into (store/office-database.ts). */
  movedInto: z.string().max(100).nullable().default(null),
});
export type StoredOffice = z.infer<typeof storedOfficeSchema>;

/** The office config.json names (null when none, or when it was edited into something invalid). */
export function savedOffice(store: PreferenceStore<ConfigFile>): StoredOffice | null {
  const parsed = storedOfficeSchema.safeParse(store.store.office);
  return parsed.success ? parsed.data : null;
}

/**
 * The office register to start on, password decrypted; null for this counter's own log. A password
 * the keystore can no longer decrypt is left empty: the server refuses it, and the banner says so.
 * A password kept for another server than config.json names (the file edited) is not sent at
 * all: the connection carries the refusal, which the banner tells.
 */
export async function officeAtStart(
  store: PreferenceStore<ConfigFile>,
  cipher: SecretCipher,
  log: Logger,
): Promise<OfficeDbConfig | null> {
  const saved = savedOffice(store);
  if (!saved) return null;
  const server = serverOf({ ...saved, tls: saved.tls.mode });
  try {
    const password = await new OfficePassword(new KeyVault(store, cipher)).for(server, server);
    return connectionOf(saved, password ?? '');
  } catch (error) {
    if (error instanceof AppError && error.code === 'office_password_bound') {
      log.warn('office password kept for another server: not sent', { tls: server.tls });
      return { ...connectionOf(saved, ''), refused: error };
    }
    log.warn('office password unreadable', { reason: error instanceof AppError ? error.code : 'unknown' });
    return connectionOf(saved, '');
  }
}

function connectionOf(saved: Omit<StoredOffice, 'movedInto'>, password: string): OfficeDbConfig {
  return {
    host: saved.host,
    port: saved.port,
    database: saved.database,
    user: saved.user,
    password,
    tls: saved.tls,
  };
}

function serverOf(o: Pick<OfficeForm, 'host' | 'port' | 'database' | 'user' | 'tls'>): OfficeServer {
  return { host: o.host, port: o.port, database: o.database, user: o.user, tls: o.tls };
}

export interface OfficeSettingsDeps {
  store: PreferenceStore<ConfigFile>;
  cipher: SecretCipher;
  dialogs: Dialogs;
  log: Logger;
  /** The office register this run uses (null: the counter's own log), its link and the copy kept on leaving. */
  inUse: { readonly state: OfficeLinkState; keepLocalCopy(): Promise<void> } | null;
}

/**
 * Impostazioni → Ufficio: joining the office's register (effective after a restart: the move of
 * the local log runs then), leaving it (a local copy kept), "Prova connessione", and "Prepara il
 * database" for the office's IT person. The page names a server, main asks the clerk: nothing is
 * sent to a server, not even a connection opened, before the clerk confirms it in main's own
 * dialog, and the kept password goes only to the server it was typed for (office-password.ts).
 */
export class OfficeSettings {
  private readonly d: OfficeSettingsDeps;
  private readonly password: OfficePassword;
  private pendingCa: string | null = null;
  private changed = false;

  constructor(deps: OfficeSettingsDeps) {
    this.d = deps;
    this.password = new OfficePassword(new KeyVault(deps.store, deps.cipher));
  }

  status(): OfficeStatus {
    const saved = savedOffice(this.d.store);
    return {
      joined: saved && {
        host: saved.host,
        port: saved.port,
        database: saved.database,
        user: saved.user,
        tls: saved.tls.mode,
        caFile: saved.tls.mode === 'verify-full' ? saved.tls.caFile : null,
        passwordSet: this.password.has(),
      },
      pendingCaFile: this.pendingCa,
      inUse: this.d.inUse ? 'office' : 'local',
      restartNeeded: this.changed,
      link: this.d.inUse?.state ?? null,
    };
  }

  /** Main's file dialog for the office's CA certificate; kept for the next test or join. */
  async chooseCaFile(): Promise<OfficeStatus> {
    const file = await this.d.dialogs.chooseFile({
      title: 'Scegliete il certificato dell’ufficio (CA)',
      filters: [{ name: 'Certificato (PEM)', extensions: ['pem', 'crt', 'cer'] }],
    });
    if (file === null) return this.status();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AppError('invalid_argument', `Il file «${file}» non si può leggere`, { cause: error });
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw new AppError('invalid_argument', 'Il file scelto non è un certificato in formato PEM', {
        details: { setting: 'caFile', reason: 'not_pem' },
      });
    this.pendingCa = file;
    return this.status();
  }

  /** "Prova connessione" with the form's values (the kept password when the form has none), once confirmed. */
  async test(form: OfficeForm): Promise<OfficeCheck> {
    const connection = await this.connection(form);
    await this.confirm(connection, {
      message: `Provare la connessione al server ${connection.host}:${connection.port}?`,
      consequence: `${form.password === null ? 'La password conservata' : 'La password digitata'} viene mandata solo a questo server.`,
      confirm: 'Prova connessione',
    });
    const result = await checkConnection(connection, { counter: true });
    if (result.ok) return result;
    this.d.log.warn('office connection check failed', { problem: result.problem, detail: result.detail });
    return { ok: false, problem: result.problem, message: result.message };
  }

  /** Joins (or changes) the office: confirmed in main's dialog, checked, kept; applies after a restart. */
  async join(form: OfficeForm): Promise<OfficeStatus> {
    const connection = await this.connection(form);
    if (form.password !== null && !(await this.d.cipher.canPersist()))
      throw new AppError(
        'keystore_unavailable',
        'Il portachiavi del sistema non è disponibile: la password del database non si può conservare',
      );
    await this.confirm(connection, {
      message: `Collegare questo sportello al registro dell’ufficio su ${connection.host}:${connection.port}?`,
      consequence:
        'Le pratiche di questo sportello verranno registrate nel database dell’ufficio, condiviso con gli altri sportelli; ' +
        'al prossimo avvio il registro di questo computer vi viene copiato. La password vale solo per questo server. ' +
        'Riavviate Sportello per applicare.',
      confirm: 'Collega all’ufficio',
    });
    const check = await checkConnection(connection, { counter: true });
    if (!check.ok) {
      this.d.log.warn('office join refused by its check', { problem: check.problem, detail: check.detail });
      throw new AppError('invalid_argument', check.message, {
        details: { setting: 'office', reason: check.problem },
      });
    }
    if (form.password !== null) await this.password.keep(serverOf(form), form.password);
    // The register's own id says whether the log is in it already: an id kept from before is harmless.
    const previous = savedOffice(this.d.store);
    this.d.store.set('office', {
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      tls: connection.tls,
      movedInto: previous?.movedInto ?? null,
    } satisfies StoredOffice);
    this.pendingCa = null;
    this.changed = true;
    this.d.log.info('office register set', { tls: connection.tls.mode });
    return this.status();
  }

  /**
   * "Prepara il database": as the owner role the IT person names (its password used for this
   * step only, never kept), the register migrated and the counters' user (the form's) given its
   * privileges (db/postgres/prepare.ts). Confirmed in main's dialog first.
   */
  async prepare(form: OfficePrepare): Promise<OfficePrepared> {
    const owner = await this.connection({ ...form, user: form.owner, password: form.ownerPassword });
    await this.confirm(owner, {
      message: `Preparare il registro dell’ufficio su ${owner.host}:${owner.port}?`,
      consequence:
        `Sportello aggiorna le tabelle del registro come proprietario «${owner.user}» e dà all’utente degli sportelli ` +
        `«${form.user}» solo i permessi per leggere e scrivere le pratiche. La password del proprietario non viene conservata.`,
      confirm: 'Prepara il database',
      who: 'owner',
    });
    try {
      const prepared = await prepareRegister(owner, form.user);
      this.d.log.info('office register prepared', {
        applied: prepared.applied.length,
        version: prepared.version,
      });
      return { applied: prepared.applied.length, version: prepared.version, counterUser: form.user };
    } catch (error) {
      if (error instanceof PrepareRefused)
        throw new AppError('invalid_argument', error.message, {
          details: { setting: 'office', reason: error.reason },
        });
      const failure = describeFailure(error, { ...owner, ...caOf(owner) });
      this.d.log.warn('office register preparation failed', {
        problem: failure.problem,
        detail: failure.detail,
      });
      throw new AppError('invalid_argument', failure.message, {
        cause: error,
        details: { setting: 'office', reason: failure.problem },
      });
    }
  }

  /**
   * Leaves the office: confirmed in main's dialog; the office register copied into this counter's
   * own log (when it is the one in use), then the settings and the password removed.
   */
  async leave(): Promise<OfficeStatus> {
    const saved = savedOffice(this.d.store);
    if (!saved) return this.status();
    const confirmed = await this.d.dialogs.confirm({
      title: 'Registro dell’ufficio',
      message: 'Scollegare questo sportello dal registro dell’ufficio?',
      detail:
        'Una copia del registro dell’ufficio resta su questo computer; le pratiche nuove verranno registrate solo qui. ' +
        'Riavviate Sportello per applicare.',
      confirm: 'Scollega',
    });
    if (!confirmed)
      throw new AppError('not_confirmed', 'Modifica non confermata: le impostazioni restano come erano');
    await this.d.inUse?.keepLocalCopy();
    this.d.store.delete('office');
    this.password.forget();
    this.changed = true;
    this.d.log.info('office register left');
    return this.status();
  }

  /**
   * Main's own dialog naming where the page asks to connect — host, port, database, user, TLS —
   * before anything is sent there; not_confirmed unless the clerk confirms.
   */
  private async confirm(
    to: OfficeDbConfig,
    ask: { message: string; consequence: string; confirm: string; who?: 'owner' },
  ): Promise<void> {
    const clear =
      to.tls.mode === 'disable'
        ? '\n\nSenza TLS la password e le pratiche viaggiano in chiaro sulla rete: va bene solo su una rete dell’ufficio fidata.'
        : '';
    const confirmed = await this.d.dialogs.confirm({
      title: 'Registro dell’ufficio',
      message: ask.message,
      detail:
        `Server ${to.host}, porta ${to.port}, database «${to.database}», ` +
        `${ask.who === 'owner' ? 'proprietario' : 'utente'} «${to.user}», ` +
        `${tlsWords(to.tls.mode, caOf(to).caFile)}.\n\n${ask.consequence}${clear}`,
      confirm: ask.confirm,
    });
    if (!confirmed)
      throw new AppError('not_confirmed', 'Modifica non confermata: nulla è stato mandato al server');
  }

  /**
   * The connection the form asks for: the password typed, or the kept one when the form's server
   * is the one it was kept for (office_password_bound otherwise); the CA file from main's dialog.
   */
  private async connection(form: OfficeForm): Promise<OfficeDbConfig> {
    const saved = savedOffice(this.d.store);
    const caFile = this.pendingCa ?? (saved?.tls.mode === 'verify-full' ? saved.tls.caFile : null);
    if (form.tls === 'verify-full' && !caFile)
      throw new AppError(
        'invalid_argument',
        'Scegliete il certificato dell’ufficio (CA) per la connessione cifrata',
        {
          details: { setting: 'caFile', reason: 'missing' },
        },
      );
    const password =
      form.password ??
      (await this.password.for(serverOf(form), saved && serverOf({ ...saved, tls: saved.tls.mode })));
    if (!password)
      throw new AppError('invalid_argument', 'Indicate la password dell’utente del database', {
        details: { setting: 'office', reason: 'no_password' },
      });
    return {
      host: form.host,
      port: form.port,
      database: form.database,
      user: form.user,
      password,
      tls: form.tls === 'verify-full' && caFile ? { mode: 'verify-full', caFile } : { mode: 'disable' },
    };
  }
}

function caOf(config: OfficeDbConfig): { caFile?: string } {
  return config.tls.mode === 'verify-full' ? { caFile: config.tls.caFile } : {};
}

/** Where config.json says which office register this counter's log was moved into. */
export function movedMarker(store: PreferenceStore<ConfigFile>): {
  into(): string | null;
  mark(id: string): void;
} {
  return {
    into: () => savedOffice(store)?.movedInto ?? null,
    mark: (id) => {
      const saved = savedOffice(store);
      if (saved) store.set('office', { ...saved, movedInto: id } satisfies StoredOffice);
    },
  };
}
