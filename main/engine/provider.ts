import { join } from 'node:path';
import { REMOTE_BASE_URLS, type Environment } from '../../common/environments.ts';
import type { Http, Logger } from '../ports.ts';
import { Simulator, type SimulatorOptions } from '../simulator/server.ts';
import type { KeyVault } from '../settings/vault.ts';
import { VisengineClient, type RetryPolicy, type Timeouts } from './client.ts';
import type { Engine } from './engine.ts';
import { WALLET_BASE_URLS, type WalletAccess } from './wallet.ts';

export interface EngineProviderOptions {
  http: Http;
  vault: KeyVault;
  log: Logger;
  userData: string;
  version: string;
  /** Development only: send every environment's calls to this base URL. */
  baseUrlOverride?: string | undefined;
  /** Prova's simulator: a running one (tests share theirs), or options for the built-in one. */
  prova?: Simulator | SimulatorOptions | undefined;
  timeouts?: Partial<Timeouts> | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** The app's clock, against which the services' clocks are measured. */
  now?: (() => number) | undefined;
}

/** One Visengine client per environment; Prova's points at the built-in simulator, started on first use. */
export class EngineProvider {
  private readonly options: EngineProviderOptions;
  private readonly engines = new Map<Environment, Engine>();
  private simulator: Promise<Simulator> | null = null;
  private ownsSimulator = false;

  constructor(options: EngineProviderOptions) {
    this.options = options;
  }

  async forEnvironment(environment: Environment): Promise<Engine> {
    const known = this.engines.get(environment);
    if (known) return known;
    const { http, vault, log, version } = this.options;
    let baseUrl: string;
    let token: () => Promise<string | null> | string | null;
    if (this.options.baseUrlOverride) {
      baseUrl = this.options.baseUrlOverride;
      token = () => vault.get(environment);
    } else if (environment === 'prova') {
      const simulator = await this.prova();
      baseUrl = simulator.url;
      token = () => simulator.token;
    } else {
      baseUrl = REMOTE_BASE_URLS[environment];
      token = () => vault.get(environment);
    }
    const engine = new VisengineClient({
      baseUrl,
      token,
      http,
      log,
      userAgent: `Sportello/${version}`,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
    this.engines.set(environment, engine);
    return engine;
  }

  /** The Prova base URL, starting the simulator if needed. */
  async baseUrl(environment: Environment): Promise<string> {
    return (await this.forEnvironment(environment)).baseUrl;
  }

  /**
   * How to read the environment's wallet: Prova's is the simulator's (its owner and token); the real
   * ones need the account's email and the environment's key. Null when one of them is missing.
   */
  async walletAccess(environment: Environment, email: string): Promise<WalletAccess | null> {
    let baseUrl: string;
    if (this.options.baseUrlOverride) {
      baseUrl = this.options.baseUrlOverride;
    } else if (environment === 'prova') {
      const simulator = await this.prova();
      return { baseUrl: simulator.url, email: simulator.owner, key: simulator.token };
    } else {
      baseUrl = WALLET_BASE_URLS[environment];
    }
    const account = email.trim();
    if (!account) return null;
    const key = await this.options.vault.get(environment);
    return key ? { baseUrl, email: account, key } : null;
  }

  async close(): Promise<void> {
    if (this.simulator && this.ownsSimulator) await (await this.simulator).stop();
  }

  private prova(): Promise<Simulator> {
    if (!this.simulator) {
      const given = this.options.prova;
      if (given instanceof Simulator) {
        this.simulator = Promise.resolve(given);
      } else {
        this.ownsSimulator = true;
        const simulator = new Simulator({
          stateFile: join(this.options.userData, 'prova', 'simulatore.json'),
          ...given,
        });
        this.simulator = simulator.start().then(() => simulator);
      }
    }
    return this.simulator;
  }
}
