import { openDatabase } from '../main/db/database.ts';
import { VisengineEngine } from '../main/engine/visengine/adapter.ts';
import { VisengineClient } from '../main/engine/visengine/client.ts';
import { SqliteRegister } from '../main/store/sqlite-register.ts';
import { Lifecycle } from '../main/requests/lifecycle.ts';
import { Tracker } from '../main/requests/tracker.ts';
import { Simulator } from '../main/simulator/server.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, median, requestRow, silentLog, stillClock, type Figure } from './support.ts';

const CONGEDO = '8a7c8386fff43d28182cfa2ad24a3532';
const pdf = `documento.pdf|data:application/pdf;base64,${Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64')}`;

/** 1 000 pending requests: one tracker cycle with the list call, against one read per request. */
export async function benchTracker(count = 1000, cycles = 3): Promise<Figure[]> {
  const simulator = new Simulator({ wallet: 1e9, durations: { toDatiDisponibili: 1e12, toEvasa: 1e12 } });
  await simulator.start();
  const dir = benchDir();
  try {
    const client = new VisengineClient({
      baseUrl: simulator.url,
      token: () => simulator.token,
      http: (url, init) => fetch(url, init),
      sleep: async () => {},
    });
    const engine = new VisengineEngine(client);
    const db = openDatabase(join(dir, 'pratiche.sqlite'));
    const register = new SqliteRegister(db, Date.now);
    const store = register.sync;
    const json = {
      $0: 'Mario',
      $1: 'Rossi',
      $2: 'm@example.it',
      $3: '+393331234567',
      $4: 'RSSMRA85T10A562S',
      $5: pdf,
      $6: pdf,
    };
    const remoteIds: string[] = [];
    for (let i = 0; i < count; i++)
      remoteIds.push((await client.createRequest({ hash_visura: CONGEDO, json_visura: json, state: 1 })).id);
    store.transaction(() =>
      remoteIds.forEach((remoteId) =>
        store.requests.insert(
          requestRow({ id: crypto.randomUUID(), remoteId, environment: 'sandbox', nextPollAt: 0 }),
        ),
      ),
    );
    const tracker = (listThreshold: number): Tracker => {
      const lifecycle = new Lifecycle({
        store: register,
        engine: async () => engine,
        refresh: (id) => made.refresh(id),
        now: Date.now,
        operator: () => 'bench',
        owner: 'bench',
        changed: () => {},
      });
      const made: Tracker = new Tracker({
        store: register,
        lifecycle,
        engine: async () => engine,
        clock: stillClock,
        log: silentLog,
        random: () => 0.5,
        pollMinutes: () => 15,
        finished: () => {},
        outputsChanged: () => {},
        listThreshold,
      });
      return made;
    };
    const measure = async (listThreshold: number) => {
      const t = tracker(listThreshold);
      const times: number[] = [];
      const calls: number[] = [];
      for (let i = 0; i < cycles; i++) {
        db.prepare("UPDATE requests SET next_poll_at = 0 WHERE status = 'pending'").run();
        const started = performance.now();
        const report = await t.cycle();
        times.push(performance.now() - started);
        calls.push(report.calls);
      }
      return { ms: median(times), calls: median(calls) };
    };
    const list = await measure(3);
    const naive = await measure(Number.MAX_SAFE_INTEGER);
    db.close();
    const section = `tracker (${count} pending requests)`;
    return [
      {
        section,
        name: 'API calls per cycle',
        value: list.calls,
        unit: 'calls',
        baseline: { name: 'one GET each', value: naive.calls },
        target: { text: '≤ 2', pass: list.calls <= 2 },
      },
      {
        section,
        name: 'time per cycle',
        value: list.ms,
        unit: 'ms',
        baseline: { name: 'one GET each', value: naive.ms },
      },
    ];
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
