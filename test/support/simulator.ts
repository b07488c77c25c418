import { afterEach } from 'vitest';
import type { Engine } from '../../main/engine/engine.ts';
import { visengineAt } from '../../main/engine/provider.ts';
import { VisengineClient, type VisengineClientOptions } from '../../main/engine/visengine/client.ts';
import { Simulator, type SimulatorOptions } from '../../main/simulator/server.ts';
import { ManualClock } from './clock.ts';

const running: Simulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

export const CONGEDO = '8a7c8386fff43d28182cfa2ad24a3532';
export const RISCATTO = '0d9ada4b11f4493674559264d6879948';

/** A started simulator on a manual clock, stopped after the test. */
export async function startSimulator(options: SimulatorOptions = {}) {
  const clock = new ManualClock();
  const simulator = new Simulator({
    now: clock.now,
    durations: { toDatiDisponibili: 60_000, toEvasa: 60_000 },
    ...options,
  });
  await simulator.start();
  running.push(simulator);
  return { simulator, clock };
}

/** Visengine's wire client for the simulator, with instant retries, so tests don't sleep. */
export function clientFor(simulator: Simulator, options: Partial<VisengineClientOptions> = {}) {
  return new VisengineClient(clientOptions(simulator, options));
}

/** The Engine port on the simulator (as the app's provider builds it), with instant retries. */
export function engineFor(simulator: Simulator, options: Partial<VisengineClientOptions> = {}): Engine {
  return visengineAt(clientOptions(simulator, options));
}

function clientOptions(
  simulator: Simulator,
  options: Partial<VisengineClientOptions>,
): VisengineClientOptions {
  return {
    baseUrl: simulator.url,
    token: () => simulator.token,
    http: (url, init) => fetch(url, init),
    sleep: async () => {},
    ...options,
  };
}

/** A small real PDF as a Visengine file string. */
export function pdfFileString(name = 'documento.pdf'): string {
  const pdf =
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  return `${name}|data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`;
}

/** A complete, valid json_visura for the two seed services (without the optional mandato). */
export function seedJson(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    $0: 'Mario',
    $1: 'Rossi',
    $2: 'mario.rossi@example.it',
    $3: '+393331234567',
    $4: 'RSSMRA85T10A562S',
    $5: pdfFileString('documento_identita.pdf'),
    $6: pdfFileString('codice_fiscale.pdf'),
    ...overrides,
  };
}
