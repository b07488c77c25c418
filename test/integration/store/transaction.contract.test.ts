import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import type { Register } from '../../../main/store/port.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The storage port's transactions, on both adapters: all of one commits or none does, a
 * transaction within another joins it, and what is inside is not seen from outside until it commits.
 */
const adapters = useRegisters();

/** A few writes through several repositories, each of which a rollback must undo. */
async function writeAll(store: Register, id: string): Promise<void> {
  await store.requests.insert(requestRow({ id, status: 'draft' }));
  await store.trail.add(id, 'created', 'anna', { service: 'Visura' });
  await store.attachments.insert({
    id: `${id}-a`,
    requestId: id,
    fieldKey: '$0',
    position: 0,
    fileName: 'fronte.jpg',
    sourceKind: 'jpeg',
    mime: 'image/jpeg',
    size: 10,
    pages: 1,
    sha256: '0'.repeat(64),
    storedPath: null,
    createdAt: 1,
  });
  await store.documents.replace(id, [
    { id: `${id}-d`, fileName: 'a.pdf', path: '/a.pdf', kind: 'pdf', size: 1, sha256: 'f'.repeat(64) },
  ]);
  await store.catalog.putDetail('sandbox', id, { id }, 1);
}

async function written(store: Register, id: string) {
  return {
    request: (await store.requests.get(id))?.id ?? null,
    events: (await store.trail.of(id)).length,
    attachments: (await store.attachments.of(id)).length,
    documents: (await store.documents.of(id)).length,
    detail: (await store.catalog.detail('sandbox', id))?.json ?? null,
  };
}

const none = { request: null, events: 0, attachments: 0, documents: 0, detail: null };
const all = (id: string) => ({
  request: id,
  events: 1,
  attachments: 1,
  documents: 1,
  detail: `{"id":"${id}"}`,
});

describe.each(adapters)('transactions on $name', (adapter) => {
  it('opens empty and migrated', async () => {
    const register = await adapter.open();
    expect(register.kind).toBe(adapter.name);
  });

  it('commits every write of a transaction, and answers its result', async () => {
    const store = await adapter.open();
    expect(await store.transaction(async () => (await writeAll(store, 'r1'), 42))).toBe(42);
    expect(await written(store, 'r1')).toEqual(all('r1'));
  });

  it('rolls back every write of a transaction that throws, and throws its error', async () => {
    const store = await adapter.open();
    await store.catalog.replaceList('sandbox', [{ hash: 'a', nome: 'A', categoria: 'x' }], 1);
    const error = new Error('interrupted');
    await expect(
      store.transaction(async () => {
        await writeAll(store, 'r1');
        await store.catalog.replaceList('sandbox', [{ hash: 'b', nome: 'B', categoria: 'x' }], 2);
        expect(await written(store, 'r1')).toEqual(all('r1'));
        throw error;
      }),
    ).rejects.toBe(error);

    expect(await written(store, 'r1')).toEqual(none);
    expect(await store.catalog.list('sandbox')).toEqual([{ hash: 'a', nome: 'A', categoria: 'x' }]);
    expect(await store.catalog.listFetchedAt('sandbox')).toBe(1);
    // The register is usable afterwards.
    await writeAll(store, 'r2');
    expect(await written(store, 'r2')).toEqual(all('r2'));
  });

  it('rolls back the register’s own spanning writes with the transaction', async () => {
    const store = await adapter.open();
    await writeAll(store, 'r1');
    // A draft has no documents yet: without them, deleteDraft can delete it.
    await store.requests.insert(requestRow({ id: 'r2', status: 'draft' }));
    await store.attachments.insert({
      ...(await store.attachments.of('r1'))[0]!,
      id: 'r2-a',
      requestId: 'r2',
    });
    await expect(
      store.transaction(async () => {
        await store.deleteDraft('r2');
        await store.purge('r1');
        expect(await store.requests.get('r2')).toBeNull();
        expect(await store.attachments.of('r2')).toEqual([]);
        expect((await store.requests.get('r1'))?.purgedAt).not.toBeNull();
        throw new Error('no');
      }),
    ).rejects.toThrow(/^no$/);
    expect((await store.requests.get('r2'))?.id).toBe('r2');
    expect((await store.attachments.of('r2')).map((a) => a.id)).toEqual(['r2-a']);
    expect(await store.requests.get('r1')).toMatchObject({ purgedAt: null, clientCognome: 'Rossi' });
    expect(await written(store, 'r1')).toEqual(all('r1'));
  });

  it('joins a transaction opened within another: both commit together', async () => {
    const store = await adapter.open();
    const result = await store.transaction(async () => {
      await writeAll(store, 'outer');
      const inner = await store.transaction(async () => {
        await writeAll(store, 'inner');
        return 'inner done';
      });
      return `${inner}, outer done`;
    });
    expect(result).toBe('inner done, outer done');
    expect(await written(store, 'outer')).toEqual(all('outer'));
    expect(await written(store, 'inner')).toEqual(all('inner'));
  });

  it('rolls back a joined transaction that completed when the outer one throws', async () => {
    const store = await adapter.open();
    await expect(
      store.transaction(async () => {
        await writeAll(store, 'outer');
        await store.transaction(() => writeAll(store, 'inner'));
        expect(await written(store, 'inner')).toEqual(all('inner'));
        throw new Error('outer failed');
      }),
    ).rejects.toThrow(/^outer failed$/);
    expect(await written(store, 'outer')).toEqual(none);
    expect(await written(store, 'inner')).toEqual(none);
  });

  it('rolls back the outer writes too when a joined transaction throws through it', async () => {
    const store = await adapter.open();
    await expect(
      store.transaction(async () => {
        await writeAll(store, 'outer');
        await store.transaction(async () => {
          await writeAll(store, 'inner');
          throw new Error('inner failed');
        });
      }),
    ).rejects.toThrow(/^inner failed$/);
    expect(await written(store, 'outer')).toEqual(none);
    expect(await written(store, 'inner')).toEqual(none);
  });

  it('counts calls not awaited within the transaction as part of it', async () => {
    const store = await adapter.open();
    await expect(
      store.transaction(async () => {
        // Started together, not awaited one by one: each is still inside.
        await Promise.all([
          store.trail.add('r1', 'created', 'anna'),
          store.catalog.putDetail('sandbox', 'r1', { id: 'r1' }, 1),
        ]);
        throw new Error('no');
      }),
    ).rejects.toThrow(/^no$/);
    expect(await store.trail.of('r1')).toEqual([]);
    expect(await store.catalog.detail('sandbox', 'r1')).toBeNull();
  });

  /*
   * A read from outside, made while a transaction holds an uncommitted value: SQLite makes it wait
   * for the commit, PostgreSQL answers at once from before the transaction. The transaction writes
   * a value, lets the outside read start, then puts the value back before committing, so that
   * what the read must answer is the same on both — the committed value, which is also the one
   * from before — and the uncommitted one is never seen.
   */
  it('does not show a write to a read from outside before the transaction commits', async () => {
    const store = await adapter.open();
    await store.catalog.putDetail('sandbox', 'a', { v: 'committed' }, 1);
    await store.trail.add('r1', 'created', 'anna');

    let wrote!: () => void;
    const hasWritten = new Promise<void>((resolve) => (wrote = resolve));
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finish = resolve));
    const steps: string[] = [];

    const transaction = store.transaction(async () => {
      await store.catalog.putDetail('sandbox', 'a', { v: 'uncommitted' }, 2);
      await store.trail.add('r1', 'opened', 'anna');
      expect((await store.catalog.detail('sandbox', 'a'))?.json).toBe('{"v":"uncommitted"}');
      wrote();
      await mayFinish;
      await store.catalog.putDetail('sandbox', 'a', { v: 'committed' }, 1);
      steps.push('committing');
    });

    await hasWritten;
    // Started outside the transaction, not awaited: it must not answer the uncommitted value.
    const outside = store.catalog.detail('sandbox', 'a').then((detail) => {
      steps.push('outside read');
      return detail;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await transaction;

    expect(await outside).toEqual({ json: '{"v":"committed"}', fetchedAt: 1 });
    expect(steps).toContain('committing');
    expect(steps).toContain('outside read');
    // Once committed, everything the transaction wrote is seen from outside.
    expect((await store.trail.of('r1')).map((e) => e.kind)).toEqual(['created', 'opened']);
  });

  it('does not show a new row to a read from outside before the transaction commits', async () => {
    const store = await adapter.open();
    let wrote!: () => void;
    const hasWritten = new Promise<void>((resolve) => (wrote = resolve));
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finish = resolve));

    const transaction = store.transaction(async () => {
      await store.requests.insert(requestRow({ id: 'new', status: 'draft' }));
      wrote();
      await mayFinish;
      await store.requests.deleteDraft('new');
    });

    await hasWritten;
    const outside = store.requests.get('new');
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await transaction;

    // SQLite: read after the commit, which left no row; PostgreSQL: read before the row was committed.
    expect(await outside).toBeNull();
    expect(await store.requests.get('new')).toBeNull();
  });
});
