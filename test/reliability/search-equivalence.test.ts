import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  requestStatuses as allStatuses,
  type RegisterFilter,
  type RequestStatus,
} from '../../common/requests.ts';
import { openDatabase } from '../../main/db/database.ts';
import { RequestRepository } from '../../main/store/requests.ts';
import { requestRow } from '../../bench/support.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * The list's search as it was first written (one LIKE over the joined, lower-cased text, now with
 * the pratica number; every status when none is chosen, drafts too): the reference.
 */
function referenceIds(
  db: ReturnType<typeof openDatabase>,
  filter: RegisterFilter,
): { ids: string[]; total: number } {
  const where: string[] = [];
  const params: unknown[] = [];
  const statuses = filter.statuses?.length ? filter.statuses : [...allStatuses];
  where.push(`r.status IN (${statuses.map(() => '?').join(', ')})`);
  params.push(...statuses);
  if (filter.from !== undefined) {
    where.push('r.created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('r.created_at <= ?');
    params.push(filter.to);
  }
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    for (const word of text.split(/\s+/).slice(0, 5)) {
      where.push(
        "(lower(coalesce(r.client_cognome, '') || ' ' || coalesce(r.client_nome, '') || ' ' || coalesce(r.client_cf, '') || ' ' || r.service_name || ' ' || coalesce(r.remote_id, '') || ' ' || coalesce(r.number, '')) LIKE ? ESCAPE '\\')",
      );
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
  }
  const sql = where.join(' AND ');
  const ids = db
    .prepare(`SELECT r.id FROM requests r WHERE ${sql} ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, filter.limit ?? 100, filter.offset ?? 0) as string[];
  const total = (
    db.prepare(`SELECT count(*) AS n FROM requests r WHERE ${sql}`).get(...params) as { n: number }
  ).n;
  return { ids, total };
}

const pieces = [
  'Rossi',
  'rossi',
  'ROSSI',
  'De Luca',
  'Dè',
  'À',
  'à',
  '%',
  '_',
  '\\',
  'ß',
  'x',
  'İ',
  ' ',
  'ab',
];
const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((p) => p.join(''));
const statuses: RequestStatus[] = [...allStatuses];

describe('request list search', () => {
  it('finds the same rows, in the same order, as the original joined-text query', () => {
    const db = openDatabase(join(tempDir(), 'pratiche.sqlite'));
    const repo = new RequestRepository(db, () => 0);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cognome: fc.option(textArb),
            nome: fc.option(textArb),
            cf: fc.option(textArb),
            service: textArb,
            remote: fc.option(fc.constantFrom('65a0c0de0000000000000001', '65a0c0de00000000000000ff')),
            number: fc.option(fc.constantFrom('RM1-2026-000001', 'rm1-2025-000010', 'Rossi')),
            status: fc.constantFrom(...statuses),
            createdAt: fc.integer({ min: 0, max: 20 }),
          }),
          { maxLength: 30 },
        ),
        fc.record(
          {
            text: fc.array(fc.constantFrom(...pieces, ' '), { maxLength: 5 }).map((p) => p.join('')),
            statuses: fc.subarray(statuses),
            from: fc.integer({ min: 0, max: 20 }),
            to: fc.integer({ min: 0, max: 20 }),
            offset: fc.integer({ min: 0, max: 5 }),
            limit: fc.integer({ min: 1, max: 10 }),
          },
          { requiredKeys: ['limit'] },
        ),
        (rows, filter) => {
          db.exec('DELETE FROM requests');
          rows.forEach((r, i) =>
            repo.insert(
              requestRow({
                id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
                clientCognome: r.cognome,
                clientNome: r.nome,
                clientCf: r.cf,
                serviceName: r.service,
                remoteId: r.remote === null ? null : `${r.remote.slice(0, 20)}${String(i).padStart(4, '0')}`,
                number: r.number,
                status: r.status,
                createdAt: r.createdAt,
              }),
            ),
          );
          const page = repo.search(filter);
          const expected = referenceIds(db, filter);
          expect(page.rows.map((r) => r.id)).toEqual(expected.ids);
          expect(page.total).toBe(expected.total);
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
    db.close();
  });
});
