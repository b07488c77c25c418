/*
 * A counter's log with a row in every table the move copies (store/move.ts), for move.test.ts and
 * the child process it kills (move-child.ts).
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { remoteIdOf, requestRow } from '../../../bench/support.ts';
import { MOVED_TABLES } from '../../../main/store/move.ts';
import { SqliteRegister } from '../../../main/store/sqlite-register.ts';

export const T0 = 1_700_000_000_000;

/**
 * `n` requests, each with a trail, an attachment, a document, a remote request, the sent ones a
 * pratica number; consents and documents on file with their key's grant, charges, a remote request
 * no request owns, catalog.
 */
export async function seedLog(db: Database, n: number, prefix = 'loc', t0 = T0): Promise<void> {
  const register = new SqliteRegister(
    db,
    () => t0,
    () => 'Sportello 2',
  );
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${String(i).padStart(4, '0')}`;
    await register.requests.insert(
      requestRow({
        id,
        status: i % 3 === 0 ? 'draft' : 'done',
        remoteId: i % 3 === 0 ? null : remoteIdOf(i + (prefix === 'loc' ? 0 : 50_000)),
        createdAt: t0 + i,
        updatedAt: t0 + i,
        operator: 'anna',
        counter: 'Sportello 2',
        clientCognome: `Rossi${i}`,
      }),
    );
    // Sent ones have their pratica number (and the log its counter), drafts none.
    if (i % 3 !== 0) await register.requests.assignNumber(id, 'RM1', 2023);
    await register.trail.add(id, 'created', 'anna', { service: 'Visura', n: i });
    await register.trail.add(id, 'opened', 'anna');
    await register.attachments.insert({
      id: `${id}-a`,
      requestId: id,
      fieldKey: '$2',
      position: 0,
      fileName: `carta ${i}.jpg`,
      sourceKind: 'jpeg',
      mime: 'image/jpeg',
      size: 1000 + i,
      pages: 1,
      sha256: 'a'.repeat(64),
      storedPath: `/scans/${id}.jpg`,
      createdAt: T0,
    });
    if (i % 3 !== 0) {
      await register.documents.replace(id, [
        {
          id: `${id}-d`,
          fileName: `Visura ${i}.pdf`,
          path: `/archivio/${id}.pdf`,
          kind: 'pdf',
          size: 20,
          sha256: 'd'.repeat(64),
        },
      ]);
      await register.ledger.note({
        environment: 'sandbox',
        remoteId: remoteIdOf(i + (prefix === 'loc' ? 0 : 50_000)),
        requestId: id,
        origin: 'created',
        fate: 'closed',
        price: 4,
        createdAt: T0,
      });
    }
    if (i % 5 === 0) {
      await register.clients.grantConsent(`CF${prefix}${i}`, T0 + i, 'anna', '2030-01-01');
      if (i % 10 === 0) await register.clients.revokeConsent(`CF${prefix}${i}`, T0 + i + 1, 'anna');
      else
        // A document on file, sealed (its bytes cross as bytea to the office and back).
        await register.clients.insertFile({
          id: `${id}-f`,
          cf: `CF${prefix}${i}`,
          kind: 'identita',
          file_name: `ci ${i}.pdf`,
          pages: 1,
          size: 300 + i,
          sha256: 'f'.repeat(64),
          key_id: `${prefix}-key`,
          sealed: Buffer.from([2, 0, 0xff, 0x5c, 0x78, 0x27, i & 0xff]),
          source_request_id: id,
          created_at: t0 + i,
          expires_at: t0 + 300 * 86_400_000,
        });
    }
  }
  await register.trail.add(null, 'created', 'anna', { office: true });
  // Who may open them: this counter's key and the document key granted to it.
  await register.keys.publish({
    counter_id: `${prefix}-counter`,
    counter_name: 'Sportello 2',
    public_key: `${prefix}-public`,
    published_at: T0,
    updated_at: T0,
  });
  await register.keys.createKey(
    { id: `${prefix}-key`, created_at: T0, created_by: `${prefix}-counter` },
    {
      key_id: `${prefix}-key`,
      counter_id: `${prefix}-counter`,
      public_key: `${prefix}-public`,
      wrapped: `${prefix}-wrapped`,
      granted_by: `${prefix}-counter`,
      granted_at: T0,
    },
  );
  await register.wallet.record(
    'sandbox',
    [
      {
        id: `${prefix}-w1`,
        amount: -4,
        at: T0,
        description: 'Visura',
        remoteId: remoteIdOf(1),
        verdict: 'matched',
      },
    ],
    T0,
  );
  await register.account.see('sandbox', [
    {
      remoteId: `${prefix}-orphan`.padEnd(24, '0').slice(0, 24),
      serviceHash: 'h'.repeat(32),
      price: 14.7,
      createdAt: T0,
      transaction: 'open',
      stato: 'In erogazione',
    },
  ]);
  await register.catalog.replaceList(
    'sandbox',
    [{ hash: 'h'.repeat(32), nome: 'Visura', categoria: 'Catasto' }],
    T0,
  );
  await register.catalog.putDetail('sandbox', 'h'.repeat(32), { nome: 'Visura' }, T0);
}

type Row = Record<string, unknown>;

/**
 * Every moved table's rows, comparable across registers: sorted, an event without its id (its key
 * is its origin, or the register's own id for an event written there), a consent without its id.
 */
export function localRows(db: Database): Record<string, Row[]> {
  const self = db.prepare('SELECT id FROM register_identity').pluck().get() as string;
  const out: Record<string, Row[]> = {};
  for (const table of MOVED_TABLES)
    out[table] = comparable(table, db.prepare(`SELECT * FROM ${table}`).all() as Row[], self);
  return out;
}

export async function officeRows(
  pool: pg.Pool,
  columns: (table: string) => string[],
): Promise<Record<string, Row[]>> {
  const self = (await pool.query<{ id: string }>('SELECT id FROM register_identity')).rows[0]!.id;
  const out: Record<string, Row[]> = {};
  for (const table of MOVED_TABLES) {
    const rows = (await pool.query<Row>(`SELECT ${columns(table).join(', ')} FROM ${table}`)).rows;
    out[table] = comparable(table, rows, self);
  }
  return out;
}

function comparable(table: string, rows: Row[], self: string): Row[] {
  const mapped = rows.map((row) => {
    if (table === 'events') {
      const { id, origin, ...rest } = row;
      return { ...rest, origin: origin ?? `${self}:${String(id)}` };
    }
    if (table === 'client_consents') {
      const { id: _id, ...rest } = row;
      return rest;
    }
    return row;
  });
  return mapped.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
