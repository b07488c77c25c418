import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmissionChoice } from '../../common/requests.ts';
import { faultKinds, type FaultRule } from '../../main/simulator/faults.ts';
import { PgRegister } from '../../main/store/postgres/register.ts';
import { prng } from '../../bench/support.ts';
import { checkMoney } from '../support/money.ts';
import { usePostgres } from '../support/postgres.ts';
import { startSimulator } from '../support/simulator.ts';
import { tempDir } from '../support/tmp.ts';

/*
 * Exactly once across the counters of an office: OFFICE_N counters (default 8), each the real app
 * in a child process with its own userData, all on one PostgreSQL register, all sending to one
 * simulator under random faults. They submit drafts, press "Riprova" on each other's requests,
 * and are killed with SIGKILL at random (and started again) for OFFICE_WORK_MS. Then every counter
 * starts once more and settles what is left — the clerk deciding where the API could not — and the
 * end state is judged against the simulator's books (support/money.ts): no request charged twice,
 * none lost, none left mid-way. A counter that dies mid-submission leaves a sending lease (2 s
 * here) that another counter's sweep takes over; what needs its scans waits for it.
 *
 * The work lasts OFFICE_WORK_MS from when every counter is up, and then until every counter has
 * had OFFICE_SHARE requests accepted by the service: a condition, not a race with the clock. Each
 * counter loads the whole app (TypeScript stripped at import) in a process of its own: eight at
 * once on two cores take seconds on a quiet machine and half a minute or more on a busy one, and
 * a restart after a kill costs it again — longer than a counter's mean time between kills, so a
 * counter could spend the whole work time starting. So a counter is killed only once it is up and
 * has sent a request since it started (a kill mid-start tests nothing here: the crash test kills
 * starts), and once the work time is over a counter still short of its share is left to reach it.
 * OFFICE_START_MS bounds the first start of all, OFFICE_SHARE_MS the work after it; past either the
 * test fails saying which counter fell short, its starts, kills and start-up times, and its last
 * output.
 */
const COUNTERS = Number(process.env.OFFICE_N ?? 8);
const WORK_MS = Number(process.env.OFFICE_WORK_MS ?? 25_000);
const SHARE = Number(process.env.OFFICE_SHARE ?? 2);
const SHARE_MS = Number(process.env.OFFICE_SHARE_MS ?? 180_000);
const START_MS = Number(process.env.OFFICE_START_MS ?? 240_000);
const SEED = Number(process.env.OFFICE_SEED ?? 20261130);
const child = fileURLToPath(new URL('./office-child.ts', import.meta.url));

const pg = usePostgres();
const live = new Set<ChildProcess>();
// Registered after usePostgres's: runs before it, so no counter holds a session when the database goes.
afterEach(async () => {
  const exits = [...live].map((p) => new Promise((resolve) => p.once('exit', resolve)));
  for (const p of live) p.kill('SIGKILL');
  await Promise.all(exits);
});

const STATUSES = [400, 402, 412, 429, 500, 502, 503, 504];

/** exactly-once.test.ts's faults: any method, any kind, a few times each. */
function randomFaults(random: () => number): FaultRule[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const faults: FaultRule[] = [];
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const method = pick(['POST', 'PUT', 'GET'] as const);
    faults.push({
      kind: pick(faultKinds),
      method,
      path: method === 'PUT' ? '^/richiesta/' : '/richiesta',
      times: 1 + Math.floor(random() * 3),
      skip: Math.floor(random() * 3),
      status: pick(STATUSES),
      ms: random() < 0.5 ? 20 : 450,
    });
  }
  return faults;
}

interface Counter {
  name: string;
  root: string;
  proc: ChildProcess | null;
  output: string;
  starts: number;
  kills: number;
  /** The running process has started the app and is working. */
  up: boolean;
  /** The running process has sent a request (the send returned, whatever its outcome). */
  sent: boolean;
  /** Milliseconds from spawn to "ready", for each start that got there. */
  startMs: number[];
}

function spawnChild(
  counter: Counter,
  args: string[],
): Promise<{ code: number | null; killed: boolean; output: string }> {
  const proc = spawn(process.execPath, [child, counter.root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  counter.proc = proc;
  counter.starts++;
  counter.up = false;
  counter.sent = false;
  live.add(proc);
  const spawned = Date.now();
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    counter.output = output.slice(-4_000);
    if (!counter.up && /^ready$/mu.test(output)) {
      counter.up = true;
      counter.startMs.push(Date.now() - spawned);
    }
    if (counter.up && /^sent$/mu.test(output)) counter.sent = true;
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    counter.output = output.slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      counter.output = output.slice(-4_000);
      if (counter.proc === proc) {
        counter.proc = null;
        counter.up = false;
        counter.sent = false;
      }
      resolve({ code, killed: signal === 'SIGKILL', output });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests the service accepted (pending or done), by the counter that created them. */
async function acceptedByCounter(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ counter: string; n: string }>(
    `SELECT counter, count(*) AS n FROM requests WHERE status IN ('pending', 'done') GROUP BY counter`,
  );
  return new Map(rows.map((r) => [r.counter, Number(r.n)]));
}

/** Why a counter fell short of its share, for the failure's message. */
function shortfall(c: Counter, accepted: number): string {
  const ready = c.startMs.length
    ? `ready ${c.startMs.length} times, in ${c.startMs.join('/')} ms`
    : 'never ready (still starting when killed or at the end)';
  return (
    `${c.name}: ${accepted} accepted, ${c.starts} starts, ${c.kills} kills, ${ready}, ` +
    `${c.up ? 'up' : 'down'} now; its last output:\n${c.output.slice(-1_000) || '(nothing)'}`
  );
}

describe('exactly once across the counters of an office', () => {
  it(
    `${COUNTERS} counters on one register, killed at random: none charged twice, none lost, none stuck`,
    { timeout: 120_000 + START_MS + WORK_MS * 2 + SHARE_MS },
    async () => {
      const random = prng(SEED);
      const { simulator } = await startSimulator({
        now: Date.now,
        wallet: 1_000_000,
        durations: { toDatiDisponibili: 150, toEvasa: 150 },
      });
      const { config, pool } = await pg.database();
      await PgRegister.migrate(pool);
      const counters: Counter[] = Array.from({ length: COUNTERS }, (_, i) => ({
        name: `Sportello ${i + 1}`,
        root: tempDir('sportello-office-'),
        proc: null,
        output: '',
        starts: 0,
        kills: 0,
        up: false,
        sent: false,
        startMs: [],
      }));
      const args = (c: Counter, mode: string, extra: string[] = []) => [
        simulator.url,
        simulator.token,
        JSON.stringify(config),
        c.name,
        mode,
        String(SEED + c.starts),
        ...extra,
      ];

      // Work: every counter submits; now and then one is killed and started again.
      let working = true;
      let kills = 0;
      const ended: string[] = [];
      const loops = counters.map(async (c) => {
        while (working) {
          const run = await spawnChild(c, args(c, 'work'));
          if (!run.killed) ended.push(`${c.name} ended by itself:\n${run.output.slice(-2_000)}`);
        }
      });
      // The work time runs from when every counter is up: starting eight apps on two cores takes
      // from seconds on a quiet machine to a minute on a busy one.
      const begun = Date.now();
      let allUp: number | null = null;
      for (;;) {
        if (allUp === null && counters.every((c) => c.startMs.length > 0)) allUp = Date.now();
        const accepted = await acceptedByCounter(pool);
        const short = counters.filter((c) => (accepted.get(c.name) ?? 0) < SHARE);
        const worked = allUp === null ? 0 : Date.now() - allUp;
        if (worked >= WORK_MS && !short.length) break;
        if (allUp === null ? Date.now() - begun >= START_MS : worked >= WORK_MS + SHARE_MS) {
          working = false;
          throw new Error(
            `after ${Math.round((Date.now() - begun) / 1000)} s (${Math.round(worked / 1000)} s with every ` +
              `counter up), ${short.length} of ${COUNTERS} counters had fewer than ${SHARE} requests ` +
              `accepted by the service:\n${short.map((c) => shortfall(c, accepted.get(c.name) ?? 0)).join('\n')}`,
          );
        }
        simulator.faults.clear();
        simulator.faults.add(...randomFaults(random));
        await sleep(300 + Math.floor(random() * 900));
        if (allUp === null) continue;
        // Only counters that have worked since they started: on a busy machine, kills mid-start
        // kept some from ever working. Past the work time a counter short of its share is spared.
        const victims = counters.filter(
          (c) => c.up && c.sent && (Date.now() - allUp! < WORK_MS || !short.includes(c)),
        );
        const victim = victims[Math.floor(random() * victims.length)];
        if (victim?.proc?.kill('SIGKILL')) {
          kills++;
          victim.kills++;
        }
      }
      const workMs = Date.now() - allUp!;
      working = false;
      for (const c of counters) c.proc?.kill('SIGKILL');
      await Promise.all(loops);
      expect(ended).toEqual([]);
      simulator.faults.clear();

      // Settle: every counter starts once more (its own leases back at once, the others' swept).
      const settle = async (decisions: Map<string, { id: string; choice: SubmissionChoice }[]>) =>
        Promise.all(
          counters.map(async (c) => {
            const mine = decisions.get(c.name);
            const run = await spawnChild(c, args(c, 'settle', mine ? [JSON.stringify(mine)] : []));
            expect(run.output, `${c.name}:\n${run.output.slice(-2_000)}`).toMatch(/settled \d+/);
          }),
        );
      await settle(new Map());

      // What only the clerk can settle, at the counter that made the request (its scans): the
      // candidate carrying this client's data is adopted, else the request is sent again.
      type Raw = {
        id: string;
        status: string;
        remote_id: string | null;
        submit_intent: number;
        candidates_json: string | null;
        client_cognome: string | null;
        counter: string;
        claim_owner: string | null;
      };
      const readRows = async () =>
        (
          await pool.query<Raw>(
            'SELECT id, status, remote_id, submit_intent, candidates_json, client_cognome, counter, claim_owner FROM requests',
          )
        ).rows;
      const decisions = new Map<string, { id: string; choice: SubmissionChoice }[]>();
      let decided = 0;
      for (const row of await readRows()) {
        if (!row.candidates_json) continue;
        const candidates = JSON.parse(row.candidates_json) as { remoteId: string }[];
        const theirs = simulator
          .requests()
          .find((r) => candidates.some((c) => c.remoteId === r._id) && r.json.$1 === row.client_cognome);
        const list = decisions.get(row.counter) ?? [];
        list.push({ id: row.id, choice: theirs ? { adopt: theirs._id } : { sendAgain: true } });
        decisions.set(row.counter, list);
        decided++;
      }
      if (decided) await settle(decisions);

      const rows = await readRows();
      const ledger = (
        await pool.query<{ remoteId: string; requestId: string; origin: string; fate: string }>(
          'SELECT remote_id AS "remoteId", request_id AS "requestId", origin, fate FROM remote_requests',
        )
      ).rows;
      const report = checkMoney(
        rows.map((r) => ({
          id: r.id,
          status: r.status,
          remoteId: r.remote_id,
          submitIntent: Number(r.submit_intent) === 1,
          awaitingChoice: r.candidates_json !== null,
        })),
        ledger,
        simulator.requests(),
        simulator.charges(),
      );
      expect(report.problems).toEqual([]);
      expect(report.submitted).toBeGreaterThan(COUNTERS);
      // Requests of every counter, and several counters' work resumed by the office.
      expect(new Set(rows.map((r) => r.counter)).size).toBe(COUNTERS);
      // Work one counter started and another finished or took further.
      const { rows: across } = await pool.query<{ kind: string; code: string | null; n: string }>(
        `SELECT e.kind, e.data_json::json->>'code' AS code, count(DISTINCT e.request_id) AS n
         FROM events e JOIN requests r ON r.id = e.request_id
         WHERE e.counter <> r.counter GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const trail = across.map((a) => `${a.kind}${a.code ? `/${a.code}` : ''} ${a.n}`).join(', ');
      const startMs = counters.flatMap((c) => c.startMs).sort((a, b) => a - b);
      console.info(
        `office: ${COUNTERS} counters up after ${Math.round((allUp! - begun) / 1000)} s, ` +
          `${Math.round(workMs / 1000)} s of work, ${kills} kills, ` +
          `${counters.reduce((n, c) => n + c.starts, 0)} starts (ready in ${startMs[0] ?? '-'}–${startMs.at(-1) ?? '-'} ms), ` +
          `${rows.length} requests, ${report.submitted} submitted, ${report.notSubmitted} not, ` +
          `${report.paidOpen} paid while open, ${decided} settled by the clerk, ` +
          `${
            rows
              .filter((r) => r.claim_owner)
              .map((r) => r.status)
              .join('/') || 'no'
          } leases left; ` +
          `by another counter than the creator: ${trail || 'nothing'}`,
      );
    },
  );
});
