import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Refusal } from './lifecycle.ts';

export interface SimRicerca {
  id_ricerca: string;
  stato_ricerca: string;
  json_ricerca: string;
  json_mappato: Record<string, string>;
  json_risultato: string | null;
}

/** One request as the simulated server keeps it. */
export interface SimRequest {
  _id: string;
  hash: string;
  nome: string;
  state: 0 | 1;
  /** The submitted fields; file payloads are dropped once the request is closed. */
  json: Record<string, string>;
  /** Names of the chosen options ("opzione_0", …). */
  opzioni: string[];
  emailTarget: string | null;
  ricerca: boolean;
  prezzoVisura: number;
  prezzoRicerca: number;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  chosenAt: number | null;
  cancelledAt: number | null;
  /** The motive given with the DELETE that cancelled it (absent in states saved before it was kept). */
  cancelReason?: string | null;
  ricerche: SimRicerca[];
  idRicerca: string | null;
  indiceRicerca: number | null;
  refusal: Refusal | null;
  /** Euro charged to the wallet for this request so far. */
  charged: number;
  /** Charged when it was created open (the `charge: 'open'` reading): closing it charges nothing more. */
  paidAtOpen?: boolean;
}

export interface Charge {
  requestId: string;
  amount: number;
  at: number;
  what: 'visura' | 'ricerca';
}

interface Snapshot {
  version: 1;
  wallet: number;
  counter: number;
  requests: SimRequest[];
  charges: Charge[];
}

/** The simulator's memory, optionally kept in a JSON file so Prova survives an app restart. */
export class SimStore {
  wallet: number;
  readonly requests = new Map<string, SimRequest>();
  readonly charges: Charge[] = [];
  private counter = 0;
  private readonly file: string | null;

  constructor(initialWallet: number, file: string | null) {
    this.wallet = initialWallet;
    this.file = file;
    if (file) this.load(file);
  }

  /** A Mongo-style 24-hex id: creation second, then a counter, so ids sort by creation. */
  nextId(now: number): string {
    this.counter += 1;
    const time = Math.floor(now / 1000)
      .toString(16)
      .padStart(8, '0')
      .slice(-8);
    const salt = ((this.counter * 2654435761) >>> 0).toString(16).padStart(8, '0');
    return `${time}${salt}${this.counter.toString(16).padStart(8, '0')}`.slice(0, 24);
  }

  charge(request: SimRequest, amount: number, what: Charge['what'], at: number): void {
    const cents = Math.round(amount * 100);
    this.wallet = Math.round(this.wallet * 100 - cents) / 100;
    request.charged = Math.round(request.charged * 100 + cents) / 100;
    this.charges.push({ requestId: request._id, amount: cents / 100, at, what });
  }

  /** Newest first, as the API lists them. */
  list(): SimRequest[] {
    return [...this.requests.values()].sort((a, b) => b.createdAt - a.createdAt || (a._id < b._id ? 1 : -1));
  }

  save(): void {
    if (!this.file) return;
    const snapshot: Snapshot = {
      version: 1,
      wallet: this.wallet,
      counter: this.counter,
      requests: [...this.requests.values()],
      charges: this.charges,
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot));
    renameSync(tmp, this.file);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // first start: nothing saved yet
    }
    try {
      const snapshot = JSON.parse(text) as Snapshot;
      if (snapshot.version !== 1) return;
      this.wallet = snapshot.wallet;
      this.counter = snapshot.counter;
      for (const r of snapshot.requests) this.requests.set(r._id, r);
      this.charges.push(...snapshot.charges);
    } catch {
      // A damaged Prova state is not worth failing the app for: start afresh, keep the bad file aside.
      renameSync(file, `${file}.damaged-${Date.now()}`);
    }
  }
}
