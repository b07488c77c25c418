import { z } from 'zod';
import {
  grantedScopes,
  scopeOf,
  scopeString,
  visengineScopes,
  type ConnectionCheck,
  type CredentialStatus,
  type VisengineScope,
} from '../../common/credentials.ts';
import type { Environment } from '../../common/environments.ts';
import { endpointsFor, hostOf, type EndpointOverrides, type RemoteEnvironment } from '../engine/endpoints.ts';
import { NotFoundError, UnauthorizedError, ValidationFailedError } from '../engine/errors.ts';
import type { OAuthAccess, OAuthClient, OAuthToken } from '../engine/oauth.ts';
import { checkConnection } from '../engine/scope-check.ts';
import type { RetryPolicy } from '../engine/visengine/client.ts';
import { AppError } from '../errors.ts';
import type { Http, Logger, PreferenceStore, SecretCipher } from '../ports.ts';
import type { ConfigFile } from './preferences.ts';
import { KeyVault, type SecretName } from './vault.ts';

/**
 * What config.json keeps about an environment's credentials besides the secrets: nothing here is
 * secret. `key`: the account email and API key, from which the app makes its own token; `token`: a
 * ready token the office pasted. Parsed leniently: the file may be hand-edited or older.
 */
const recordSchema = z.object({
  kind: z.enum(['key', 'token']),
  email: z.string().nullish(),
  /** The Visengine host the token's scopes name: a token for another host is made anew. */
  host: z.string().nullish(),
  tokenCreatedAt: z.number().nullish(),
  /** When this counter got the token, on its own clock: what it sent from then on, it sent with it. */
  tokenIssuedAt: z.number().nullish().catch(null),
  tokenExpiresAt: z.number().nullish(),
  /** The needed scopes the token holds (with the key: those the account has, `GET /scopes`). */
  tokenScopes: z.array(z.string()).nullish(),
  /** The counter the token is named after: renamed, the counter gets a token of its own. */
  tokenCounter: z.string().nullish().catch(null),
  /** The office's spending cap for this counter's token (euro per token); null or absent: none. */
  cap: z.number().positive().nullish().catch(null),
  /** The cap the current token was made with (`limits.walletAmount`). */
  tokenCap: z.number().positive().nullish().catch(null),
  /** A ready token: the scopes the last "Prova connessione" found missing. */
  checkedMissing: z.array(z.string()).nullish().catch(null),
});
type CredentialRecord = z.infer<typeof recordSchema>;

export interface CredentialsOptions {
  store: PreferenceStore<ConfigFile>;
  cipher: SecretCipher;
  oauth: OAuthClient;
  /** For "Prova connessione"'s probes of Visengine. */
  http: Http;
  now: () => number;
  log: Logger;
  overrides?: EndpointOverrides;
  /** Lifetime asked for each token, in seconds (default 30 days). */
  tokenTtlSeconds?: number;
  /** Renew once less than this fraction of the token's life is left (default 1/3). */
  renewWhenLeft?: number;
  /** After a failed renewal, keep using the still-valid token this long before trying again. */
  retryRenewalAfterMs?: number;
  probeTimeoutMs?: number;
  /** How "Prova connessione" retries its GETs after a 502/503/504 (the engine's policy). */
  probeRetry?: Partial<RetryPolicy> | undefined;
  /** This counter's name (Impostazioni, or the PC's): each counter's token is named after it. */
  counter?: () => string;
}

const DAY_SECONDS = 86_400;
/** A token refused this soon after it was made is not renewed again: a new one would fare no better. */
const FRESH_MS = 60_000;

/**
 * Each real environment's Openapi credentials, on this counter (config.json: every counter of an
 * office has its own). The office gives the account email and API key (or a ready token); from the
 * key the app makes this counter's token, named after it, with the Visengine scopes it needs that
 * the account has (`GET /scopes` first) and the office's spending cap (`limits.walletAmount`);
 * renews it before it expires (and once on a 401), and deletes the old one. A scope the account
 * lacks is recorded (`missingScopes`): what needs it is not tried (engine/scope-gate.ts). Key and
 * token are kept only as OS-keystore ciphertext (KeyVault). Visengine gets `bearer()`; the wallet and
 * its transactions get `oauthAccess()`; the renderer gets `status()`, never a secret.
 */
export class CredentialsService {
  private readonly opts: CredentialsOptions;
  private readonly vault: KeyVault;
  private readonly renewing = new Map<RemoteEnvironment, Promise<string>>();
  private readonly renewalFailedAt = new Map<RemoteEnvironment, number>();
  /** When this process made each environment's current token (local clock). */
  private readonly issuedAt = new Map<RemoteEnvironment, number>();
  private readonly records = new Map<RemoteEnvironment, CredentialRecord | null>();

  constructor(options: CredentialsOptions) {
    this.opts = options;
    this.vault = new KeyVault(options.store, options.cipher);
  }

  async status(environment: Environment): Promise<CredentialStatus> {
    const none: CredentialStatus = {
      environment,
      kind: 'none',
      email: null,
      keyHint: null,
      tokenHint: null,
      tokenExpiresAt: null,
      tokenScopes: null,
      missingScopes: [],
      spendingCap: null,
      persisted: true,
      unreadable: false,
      wallet: false,
    };
    if (environment === 'prova') return { ...none, kind: 'builtin', wallet: true };
    const stored = this.stored(environment);
    const record = this.record(environment);
    if (!record) return { ...none, email: stored?.email ?? null };
    let key: string | null = null;
    let token: string | null = null;
    let unreadable = false;
    try {
      key = record.kind === 'key' ? await this.vault.get(secret(environment, 'key')) : null;
      token = await this.vault.get(secret(environment, 'token'));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'vault_unavailable')) throw error;
      unreadable = true;
    }
    return {
      environment,
      kind: record.kind,
      email: record.email ?? null,
      keyHint: hint(key),
      tokenHint: hint(token),
      tokenExpiresAt: record.tokenExpiresAt ?? null,
      tokenScopes: record.kind === 'key' ? this.scopesOf(record) : null,
      missingScopes: this.missingOf(record),
      spendingCap: record.kind === 'key' ? (record.cap ?? null) : null,
      persisted: !(['key', 'token'] as const).some((w) => this.vault.sessionOnly(secret(environment, w))),
      unreadable,
      wallet: record.kind === 'key' && !unreadable,
    };
  }

  /**
   * The account email and API key. A token is made at once with them: that both checks the pair
   * (a wrong one is refused here, nothing saved) and gives Visengine its Bearer token.
   */
  async setKey(environment: Environment, email: string, apiKey: string): Promise<CredentialStatus> {
    const env = remote(environment);
    const account = { baseUrl: this.endpoints(env).oauth, email: email.trim(), apiKey };
    // The cap chosen for this counter stays with a new key of the same account.
    const cap = this.stored(env)?.kind === 'key' ? (this.stored(env)?.cap ?? null) : null;
    const issued = await this.issue(env, account, cap);
    const previous = await this.appToken(env);
    await this.vault.set(secret(env, 'key'), apiKey);
    await this.keep(env, issued.token);
    this.save(env, { kind: 'key', email: account.email, cap, ...this.tokenFacts(env, issued) });
    if (previous && previous.token !== issued.token?.token)
      await this.discard(env, previous.access, previous.token);
    this.opts.log.info('credentials: account key set', { environment: env });
    return this.status(env);
  }

  /**
   * The office's spending cap for this counter's token (euro, per token: until it is renewed), or
   * null for none. A new token is made with it at once (`limits.walletAmount`), the old one deleted.
   */
  async setSpendingCap(environment: Environment, cap: number | null): Promise<CredentialStatus> {
    const env = remote(environment);
    const record = this.record(env);
    if (record?.kind !== 'key')
      throw new AppError(
        'not_allowed',
        'Il tetto di spesa vale per il token che Sportello crea: servono email e chiave API',
      );
    await this.replaceToken(env, 'cap', cap);
    this.save(env, { ...this.record(env)!, cap });
    this.opts.log.info('credentials: spending cap set', { environment: env, cap });
    return this.status(env);
  }

  /** A ready token instead of the key: Visengine works with it; the wallet cannot be read. */
  async setToken(environment: Environment, token: string): Promise<CredentialStatus> {
    const env = remote(environment);
    const previous = await this.appToken(env);
    const email = this.stored(env)?.email ?? null;
    await this.vault.set(secret(env, 'token'), token);
    this.vault.delete(secret(env, 'key'));
    this.save(env, { kind: 'token', email });
    this.issuedAt.delete(env);
    this.renewalFailedAt.delete(env);
    if (previous && previous.token !== token) await this.discard(env, previous.access, previous.token);
    this.opts.log.info('credentials: ready token set', { environment: env });
    return this.status(env);
  }

  async clear(environment: Environment): Promise<CredentialStatus> {
    const env = remote(environment);
    const previous = await this.appToken(env);
    if (previous) await this.discard(env, previous.access, previous.token);
    this.vault.delete(secret(env, 'key'));
    this.vault.delete(secret(env, 'token'));
    const credentials = { ...this.opts.store.store.credentials };
    delete credentials[env];
    this.opts.store.set('credentials', credentials);
    this.records.set(env, null);
    this.issuedAt.delete(env);
    this.opts.log.info('credentials: cleared', { environment: env });
    return this.status(env);
  }

  /**
   * The Bearer token for Visengine; null when none is set. With the key, a token about to expire
   * (or made for another host) is renewed first; if renewing fails while the old one is still
   * valid, the old one is used and renewal is tried again later.
   */
  async bearer(env: RemoteEnvironment): Promise<string | null> {
    const record = this.record(env);
    if (!record) return null;
    const token = await this.vault.get(secret(env, 'token'));
    if (record.kind === 'token') return token;
    const host = hostOf(this.endpoints(env).visengine);
    const reason = !token
      ? 'missing'
      : record.host !== host
        ? 'host'
        : this.due(record)
          ? 'expiry'
          : record.tokenCounter && record.tokenCounter !== this.counterName()
            ? 'counter'
            : (record.cap ?? null) !== (record.tokenCap ?? null)
              ? 'cap'
              : null;
    if (!reason) return token;
    const now = this.opts.now();
    const valid = !!token && (record.tokenExpiresAt ?? 0) > now;
    // Due for a reason that leaves the current token good to use: a failed renewal waits a while.
    const postponable = reason !== 'missing' && reason !== 'host';
    const failedAt = this.renewalFailedAt.get(env);
    if (valid && postponable && failedAt !== undefined && now - failedAt < this.retryAfter()) return token;
    try {
      return await this.renew(env, reason);
    } catch (error) {
      if (!valid || !postponable) throw error;
      this.renewalFailedAt.set(env, now);
      this.opts.log.warn('credentials: renewal failed, the current token is still valid', {
        environment: env,
        code: error instanceof AppError ? error.code : 'internal',
        expiresAt: record.tokenExpiresAt,
      });
      return token;
    }
  }

  /**
   * Visengine answered 401 to `token`: the token to retry with once, or null when there is none
   * better (a ready token, a token this fresh, or renewal failed).
   */
  async rejected(env: RemoteEnvironment, token: string): Promise<string | null> {
    const record = this.record(env);
    if (record?.kind !== 'key') return null;
    const current = await this.vault.get(secret(env, 'token'));
    if (current && current !== token) return current;
    const issued = this.issuedAt.get(env);
    if (issued !== undefined && this.opts.now() - issued < FRESH_MS) return null;
    try {
      return await this.renew(env, 'rejected');
    } catch (error) {
      this.opts.log.warn('credentials: renewal after a 401 failed', {
        environment: env,
        code: error instanceof AppError ? error.code : 'internal',
      });
      return null;
    }
  }

  /** Basic credentials for the OAuth API (wallet, transactions); null with a ready token only. */
  async oauthAccess(env: RemoteEnvironment): Promise<OAuthAccess | null> {
    const record = this.record(env);
    if (record?.kind !== 'key' || !record.email) return null;
    const apiKey = await this.vault.get(secret(env, 'key'));
    return apiKey ? { baseUrl: this.endpoints(env).oauth, email: record.email, apiKey } : null;
  }

  /**
   * The needed scopes this environment's credentials lack: with the key, those the account did not
   * grant when the token was made; with a ready token, those the last "Prova connessione" found
   * missing. What needs one is not tried (engine/scope-gate.ts) and the screens say why.
   */
  missingScopes(environment: Environment): VisengineScope[] {
    if (environment === 'prova') return [];
    const record = this.record(environment);
    return record ? this.missingOf(record) : [];
  }

  /**
   * The app's token as Openapi describes it now (`GET /tokens/{token}`: stats, limits), and since
   * when this counter uses it (its own clock; Openapi's creation time for a token made before that
   * was kept); null without the key, or without a token.
   */
  async tokenDetail(env: RemoteEnvironment): Promise<{ detail: OAuthToken; since: number | null } | null> {
    const record = this.record(env);
    if (record?.kind !== 'key') return null;
    const access = await this.oauthAccess(env);
    const token = await this.vault.get(secret(env, 'token'));
    if (!access || !token) return null;
    const detail = await this.opts.oauth.getToken(access, token);
    return { detail, since: record.tokenIssuedAt ?? detail.createdAt ?? record.tokenCreatedAt ?? null };
  }

  /**
   * "Prova connessione": with the key, the token's own scope list (`GET /tokens/{token}`) and its
   * expiry; in every case one harmless probe per scope, and the wallet when it can be read. The
   * current token is used as it is, unless the account now grants a scope it lacks.
   */
  async check(env: RemoteEnvironment): Promise<ConnectionCheck> {
    const before = this.record(env);
    if (before?.kind === 'key') await this.catchUpScopes(env, before);
    let token: string | null;
    try {
      token = await this.bearer(env);
    } catch (error) {
      // The account grants none of the scopes: there is no token to probe with, and nothing to try.
      if (!(error instanceof AppError && error.code === 'scopes_unavailable')) throw error;
      token = null;
    }
    const access = await this.oauthAccess(env);
    if (!token && !access) throw new AppError('no_api_key', `Nessuna credenziale Openapi per ${env}`);
    let tokenScopes: VisengineScope[] | null = token ? null : [];
    if (access && token) {
      const host = hostOf(this.endpoints(env).visengine);
      try {
        let detail: OAuthToken;
        try {
          detail = await this.opts.oauth.getToken(access, token);
        } catch (error) {
          // Deleted in the Openapi console: make another, then read that one.
          if (!(error instanceof NotFoundError)) throw error;
          token = await this.renew(env, 'deleted');
          detail = await this.opts.oauth.getToken(access, token);
        }
        tokenScopes = visengineOnly(detail.scopes, host);
        const record = this.record(env);
        if (record && detail.expireAt !== null && detail.expireAt !== record.tokenExpiresAt)
          this.save(env, { ...record, tokenExpiresAt: detail.expireAt });
      } catch (error) {
        // The probes below still tell which scopes work.
        this.opts.log.warn('connection check: token detail unavailable', {
          environment: env,
          code: error instanceof AppError ? error.code : 'internal',
        });
      }
    }
    const record = this.record(env);
    const check = await checkConnection({
      environment: env,
      baseUrl: this.endpoints(env).visengine,
      token,
      http: this.opts.http,
      now: this.opts.now,
      credentials: access ? 'key' : 'token',
      tokenScopes,
      tokenExpiresAt: record?.tokenExpiresAt ?? null,
      wallet: access ? () => this.opts.oauth.credit(access) : null,
      log: this.opts.log,
      ...(this.opts.probeTimeoutMs ? { timeoutMs: this.opts.probeTimeoutMs } : {}),
      ...(this.opts.probeRetry ? { retry: this.opts.probeRetry } : {}),
    });
    // A ready token's scopes are known only from here: remembered, so what lacks one is not tried.
    if (record?.kind === 'token')
      this.save(env, {
        ...record,
        checkedMissing: check.scopes.filter((s) => s.status === 'missing').map((s) => s.scope),
      });
    return check;
  }

  /**
   * The account may have turned on an API since the token was made without its scope: a new token
   * is made only then (`GET /scopes` grants a scope the token lacks), else the current one stays.
   */
  private async catchUpScopes(env: RemoteEnvironment, record: CredentialRecord): Promise<void> {
    const have = this.scopesOf(record) ?? [...visengineScopes];
    if (have.length === visengineScopes.length) return;
    try {
      const access = await this.oauthAccess(env);
      const granted = access ? await this.grantable(access, hostOf(this.endpoints(env).visengine)) : null;
      if (granted?.some((s) => !have.includes(s))) await this.renew(env, 'scopes');
    } catch (error) {
      this.opts.log.warn('connection check: token not renewed', {
        environment: env,
        code: error instanceof AppError ? error.code : 'internal',
      });
    }
  }

  // -------------------------------------------------------------------------------------------

  private endpoints(env: RemoteEnvironment) {
    return endpointsFor(env, this.opts.overrides);
  }

  private retryAfter(): number {
    return this.opts.retryRenewalAfterMs ?? 10 * 60_000;
  }

  /** Less than the set fraction of the token's life left (or the life unknown): time to renew. */
  private due(record: CredentialRecord): boolean {
    const expires = record.tokenExpiresAt;
    if (!expires) return true;
    const created = record.tokenCreatedAt ?? expires - this.ttl() * 1000;
    const life = Math.max(1, expires - created);
    return expires - this.opts.now() < life * (this.opts.renewWhenLeft ?? 1 / 3);
  }

  private ttl(): number {
    return this.opts.tokenTtlSeconds ?? 30 * DAY_SECONDS;
  }

  /** One renewal at a time per environment: every caller waiting gets the same new token. */
  private renew(env: RemoteEnvironment, reason: string): Promise<string> {
    let running = this.renewing.get(env);
    if (!running) {
      running = this.replaceToken(env, reason).finally(() => this.renewing.delete(env));
      this.renewing.set(env, running);
    }
    return running;
  }

  /** A new token (with `cap`, by default the one chosen), the old one deleted. */
  private async replaceToken(
    env: RemoteEnvironment,
    reason: string,
    cap: number | null = this.record(env)?.cap ?? null,
  ): Promise<string> {
    const access = await this.oauthAccess(env);
    if (!access)
      throw new AppError('no_api_key', `Nessuna chiave API per ${env}: il token non si può rinnovare`);
    const old = await this.vault.get(secret(env, 'token')).catch(() => null);
    const issued = await this.issue(env, access, cap);
    await this.keep(env, issued.token);
    const record = this.record(env);
    this.save(env, {
      kind: 'key',
      email: record?.email ?? access.email,
      cap: record?.cap ?? null,
      ...this.tokenFacts(env, issued),
    });
    this.opts.log.info('credentials: token renewed', {
      environment: env,
      reason,
      expiresAt: this.record(env)?.tokenExpiresAt ?? null,
    });
    if (old && old !== issued.token?.token) await this.discard(env, access, old);
    if (!issued.token) throw noScopes(hostOf(this.endpoints(env).visengine));
    return issued.token.token;
  }

  /**
   * `POST /tokens` for this counter: named after it, with the office's cap, asking only for the
   * needed scopes the account has (`GET /scopes`). When the list does not name Visengine's scopes
   * it cannot tell: every needed scope is asked for, and a refusal (422/90) means none is granted.
   * `token` is null when the account grants none: the key is good, and nothing can be done with it.
   */
  private async issue(
    env: RemoteEnvironment,
    access: OAuthAccess,
    cap: number | null,
  ): Promise<{ token: OAuthToken | null; scopes: VisengineScope[]; cap: number | null }> {
    const host = hostOf(this.endpoints(env).visengine);
    const granted = await this.grantable(access, host);
    const asked = granted ?? [...visengineScopes];
    if (asked.length < visengineScopes.length)
      this.opts.log.warn('credentials: some Visengine scopes are not enabled on the account', {
        environment: env,
        missing: visengineScopes.filter((s) => !asked.includes(s)),
      });
    if (asked.length === 0) return { token: null, scopes: [], cap };
    const request = {
      name: this.tokenName(env),
      ttl: this.ttl(),
      scopes: asked.map((s) => scopeString(s, host)),
      ...(cap === null ? {} : { walletAmount: cap }),
    };
    try {
      return { token: await this.opts.oauth.createToken(access, request), scopes: asked, cap };
    } catch (error) {
      if (!(error instanceof ValidationFailedError && error.apiCode === 90)) throw error;
      if (granted === null) {
        this.opts.log.warn('credentials: Openapi grants no Visengine scope', { environment: env, host });
        return { token: null, scopes: [], cap };
      }
      // The account's own list granted them, yet the token is refused: nothing sensible to retry.
      throw new AppError('scopes_unavailable', `Openapi rifiuta gli scope Visengine che elenca per ${host}`, {
        details: { host },
        cause: error,
      });
    }
  }

  /**
   * The needed scopes `GET /scopes` says the account has; null when the list cannot tell (it names
   * none of them, or cannot be read). A wrong email or key is refused here (401).
   */
  private async grantable(access: OAuthAccess, host: string): Promise<VisengineScope[] | null> {
    try {
      return grantedScopes(await this.opts.oauth.scopes(access), host);
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.opts.log.warn('credentials: the account’s scopes unreadable, asking for every one', {
        code: error instanceof AppError ? error.code : 'internal',
      });
      return null;
    }
  }

  /** "Sportello – Ufficio-1 (sandbox)": the counter's token, recognisable in the Openapi console. */
  private tokenName(env: RemoteEnvironment): string {
    const counter = this.counterName();
    return counter ? `Sportello – ${counter} (${env})` : `Sportello (${env})`;
  }

  private counterName(): string {
    return this.opts.counter?.().trim() ?? '';
  }

  /** The token as this counter's current one (none: the account grants no scope). */
  private async keep(env: RemoteEnvironment, token: OAuthToken | null): Promise<void> {
    if (token) {
      await this.vault.set(secret(env, 'token'), token.token);
      this.issuedAt.set(env, this.opts.now());
    } else {
      this.vault.delete(secret(env, 'token'));
      this.issuedAt.delete(env);
    }
    this.renewalFailedAt.delete(env);
  }

  private tokenFacts(
    env: RemoteEnvironment,
    issued: { token: OAuthToken | null; scopes: VisengineScope[]; cap: number | null },
  ): Partial<CredentialRecord> {
    const now = this.opts.now();
    const host = hostOf(this.endpoints(env).visengine);
    const { token } = issued;
    return {
      host,
      tokenCreatedAt: token ? (token.createdAt ?? now) : null,
      tokenIssuedAt: token ? now : null,
      tokenExpiresAt: token ? (token.expireAt ?? now + this.ttl() * 1000) : null,
      // What was asked for, as the account granted it: what is not tried follows from this alone,
      // never from how an answer happens to spell the token's list (a 403 says if it falls short).
      tokenScopes: issued.scopes,
      tokenCounter: this.counterName() || null,
      tokenCap: issued.cap,
    };
  }

  private missingOf(record: CredentialRecord): VisengineScope[] {
    if (record.kind === 'token')
      return visengineScopes.filter((s) => record.checkedMissing?.includes(s) ?? false);
    const have = this.scopesOf(record);
    return have ? visengineScopes.filter((s) => !have.includes(s)) : [];
  }

  private scopesOf(record: CredentialRecord): VisengineScope[] | null {
    if (!record.tokenScopes) return null;
    return visengineScopes.filter((s) => record.tokenScopes!.includes(s));
  }

  /** The token the app made (with the key that made it): the only kind it may delete. */
  private async appToken(env: RemoteEnvironment): Promise<{ access: OAuthAccess; token: string } | null> {
    try {
      const access = await this.oauthAccess(env);
      const token = access ? await this.vault.get(secret(env, 'token')) : null;
      return access && token ? { access, token } : null;
    } catch {
      return null; // unreadable secrets: nothing to clean up that the app can reach
    }
  }

  /** Best effort: a token left behind expires by itself. */
  private async discard(env: RemoteEnvironment, access: OAuthAccess, token: string): Promise<void> {
    try {
      await this.opts.oauth.deleteToken(access, token);
    } catch (error) {
      this.opts.log.warn('credentials: old token not deleted (it will expire)', {
        environment: env,
        code: error instanceof AppError ? error.code : 'internal',
      });
    }
  }

  /**
   * The record as stored, whether or not its secrets are still there (for the email). Kept in
   * memory: the Bearer token is asked for on every Visengine call, and config.json is read from
   * disk at every access; only this service writes the records.
   */
  private stored(env: RemoteEnvironment): CredentialRecord | null {
    if (this.records.has(env)) return this.records.get(env)!;
    this.migrate(env);
    const parsed = recordSchema.safeParse(this.opts.store.store.credentials?.[env]);
    const record = parsed.success ? parsed.data : null;
    this.records.set(env, record);
    return record;
  }

  /** The record, when the secrets it needs are there (session-only ones vanish at restart). */
  private record(env: RemoteEnvironment): CredentialRecord | null {
    const record = this.stored(env);
    if (!record) return null;
    if (!this.vault.has(secret(env, 'token')) && record.kind === 'token') return null;
    if (!this.vault.has(secret(env, 'key')) && record.kind === 'key') return null;
    return record;
  }

  private save(env: RemoteEnvironment, record: CredentialRecord): void {
    this.opts.store.set('credentials', { ...this.opts.store.store.credentials, [env]: record });
    this.records.set(env, record);
  }

  /**
   * Before credentials.ts one secret per environment was used as Visengine's Bearer token: keep it
   * as a ready token (its ciphertext moves unchanged), with the account email of the old preferences.
   */
  private migrate(env: RemoteEnvironment): void {
    const legacy = this.opts.store.store.keys?.[env];
    if (!legacy) return;
    if (!this.opts.store.store.credentials?.[env]) {
      const preferences = this.opts.store.store.preferences as Record<string, unknown> | undefined;
      const email =
        typeof preferences?.accountEmail === 'string' && preferences.accountEmail
          ? preferences.accountEmail
          : null;
      this.vault.adopt(secret(env, 'token'), legacy);
      this.save(env, { kind: 'token', email });
      this.opts.log.info('credentials: earlier key kept as a ready token', { environment: env });
    }
    const keys = { ...this.opts.store.store.keys };
    delete keys[env];
    this.opts.store.set('keys', keys);
  }

  /** Refuses Prova (it has no credentials) before anything is asked of the clerk. */
  assertRemote(environment: Environment): void {
    remote(environment);
  }
}

function remote(environment: Environment): RemoteEnvironment {
  if (environment === 'prova') throw new AppError('not_allowed', "L'ambiente Prova non usa credenziali");
  return environment;
}

function secret(env: RemoteEnvironment, what: 'key' | 'token'): SecretName {
  return `${env}.${what}`;
}

function noScopes(host: string): AppError {
  return new AppError('scopes_unavailable', `Openapi non concede gli scope Visengine per ${host}`, {
    details: { host },
  });
}

function hint(value: string | null): string | null {
  return value ? `••••${value.slice(-4)}` : null;
}

/** The Visengine scopes of the host among a token's scopes (other APIs' and hosts' left out). */
function visengineOnly(scopes: string[], host: string): VisengineScope[] {
  const mine = new Set(scopes.map((s) => scopeOf(s, host)).filter((s): s is VisengineScope => s !== null));
  return visengineScopes.filter((s) => mine.has(s));
}
