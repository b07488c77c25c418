import { Simulator, type SimulatorOptions } from './server.ts';

/**
 * Where a running simulator is, in the shape the engine provider takes for Prova (its
 * `ProvaAccess`; the simulator, a server apart, does not import the app's engine).
 */
export interface ProvaAccess {
  baseUrl: string;
  token: string;
  owner: string;
  apiKey: string;
}

/** A running simulator as the engine provider reaches Prova (read live: tests may change it). */
export function provaOf(simulator: Simulator): ProvaAccess {
  return {
    get baseUrl() {
      return simulator.url;
    },
    get token() {
      return simulator.token;
    },
    get owner() {
      return simulator.owner;
    },
    get apiKey() {
      return simulator.apiKey;
    },
  };
}

/**
 * Prova's built-in simulator, started on first use (no key, no cost: the default environment).
 * The composition root owns it: it hands `access` to the engine provider and calls `stop` last.
 */
export function builtInProva(options: SimulatorOptions): {
  access: () => Promise<ProvaAccess>;
  stop: () => Promise<void>;
} {
  let started: Promise<Simulator> | null = null;
  return {
    access: async () => {
      started ??= (async () => {
        const simulator = new Simulator(options);
        await simulator.start();
        return simulator;
      })().catch((error: unknown) => {
        started = null;
        throw error;
      });
      return provaOf(await started);
    },
    stop: async () => {
      const running = started;
      started = null;
      if (running) await (await running.catch(() => null))?.stop();
    },
  };
}
