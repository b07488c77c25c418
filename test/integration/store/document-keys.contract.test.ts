import { describe, expect, it } from 'vitest';
import type { CounterKeyRow, DocumentKeyRow, KeyGrantRow } from '../../../main/store/document-keys.ts';
import type { Register } from '../../../main/store/port.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { SqliteRegister } from '../../../main/store/sqlite-register.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * Who may open the documents on file (store/document-keys.ts), on both adapters: counters' public
 * keys published and renamed, document keys made only while none is alive (and once when counters
 * make one at the same moment), added when moved in, granted and granted again.
 */
const adapters = useRegisters();

const counter = (id: string, patch: Partial<CounterKeyRow> = {}): CounterKeyRow => ({
  counter_id: id,
  counter_name: `Sportello ${id}`,
  public_key: `pub-${id}`,
  published_at: 1_000,
  updated_at: 1_000,
  ...patch,
});

const key = (id: string, patch: Partial<DocumentKeyRow> = {}): DocumentKeyRow => ({
  id,
  created_at: 1_000,
  created_by: 'a',
  ...patch,
});

const grant = (keyId: string, counterId: string, patch: Partial<KeyGrantRow> = {}): KeyGrantRow => ({
  key_id: keyId,
  counter_id: counterId,
  public_key: `pub-${counterId}`,
  wrapped: `wrapped ${keyId} for ${counterId}`,
  granted_by: 'a',
  granted_at: 2_000,
  ...patch,
});

async function registerIdentity(store: Register): Promise<string> {
  const sql = 'SELECT id FROM register_identity';
  if (store instanceof PgRegister) return (await store.sql.row<{ id: string }>(sql))!.id;
  if (store instanceof SqliteRegister) return store.db.prepare(sql).pluck().get() as string;
  throw new Error(`no raw access to ${store.kind}`);
}

describe.each(adapters)('who may open the documents on file, on $name', (adapter) => {
  it('names the register by its own id', async () => {
    const store = await adapter.open();
    expect(await store.keys.registerId()).toBe(await registerIdentity(store));
    expect((await store.keys.registerId()).length).toBeGreaterThan(10);
  });

  it('publishes a counter’s key; a new name or key replaces it, and only a new key restarts its date', async () => {
    const { keys } = await adapter.open();
    expect(await keys.counters()).toEqual([]);
    await keys.publish(counter('b'));
    await keys.publish(counter('a', { counter_name: 'Ufficio-2' }));
    expect(await keys.counters()).toEqual([counter('b'), counter('a', { counter_name: 'Ufficio-2' })]);

    // Renamed: same key, its date kept.
    await keys.publish(counter('a', { counter_name: 'Ufficio-9', published_at: 5_000, updated_at: 5_000 }));
    expect(await keys.counter('a')).toEqual(
      counter('a', { counter_name: 'Ufficio-9', published_at: 1_000, updated_at: 5_000 }),
    );
    // Published again unchanged: nothing moves.
    await keys.publish(counter('a', { counter_name: 'Ufficio-9', published_at: 6_000, updated_at: 6_000 }));
    expect(await keys.counter('a')).toMatchObject({ published_at: 1_000, updated_at: 5_000 });
    // A new key pair: its own date.
    await keys.publish(
      counter('a', {
        counter_name: 'Ufficio-9',
        public_key: 'pub-a2',
        published_at: 7_000,
        updated_at: 7_000,
      }),
    );
    expect(await keys.counter('a')).toEqual(
      counter('a', {
        counter_name: 'Ufficio-9',
        public_key: 'pub-a2',
        published_at: 7_000,
        updated_at: 7_000,
      }),
    );
    expect(await keys.counter('nobody')).toBeNull();
  });

  it('makes a document key with its first grant only while no key is alive', async () => {
    const { keys } = await adapter.open();
    await keys.publish(counter('a'));
    await keys.publish(counter('b'));
    expect(await keys.createKey(key('k1'), grant('k1', 'a'))).toBe(true);
    expect(await keys.keys()).toEqual([key('k1')]);
    expect(await keys.grantsTo('a')).toEqual([grant('k1', 'a')]);
    // Alive: `a` holds it.
    expect(await keys.createKey(key('k2', { created_by: 'b' }), grant('k2', 'b'))).toBe(false);
    expect(await keys.keys()).toEqual([key('k1')]);
    expect(await keys.grantsTo('b')).toEqual([]);

    // `a` lost its key pair (a new one published): nobody can open k1 any more, a new key may be made.
    await keys.publish(counter('a', { public_key: 'pub-a-new', published_at: 3_000, updated_at: 3_000 }));
    expect(await keys.createKey(key('k2', { created_at: 4_000, created_by: 'b' }), grant('k2', 'b'))).toBe(
      true,
    );
    expect((await keys.keys()).map((k) => k.id)).toEqual(['k1', 'k2']);
  });

  it('makes one key when counters make theirs at the same moment', async () => {
    const store = await adapter.open();
    const names = ['a', 'b', 'c', 'd'];
    for (const name of names) await store.keys.publish(counter(name));
    const made = await Promise.all(
      names.map((name) =>
        store.keys.createKey(key(`k-${name}`, { created_by: name }), grant(`k-${name}`, name)),
      ),
    );
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await store.keys.keys()).toHaveLength(1);
    expect(await store.keys.grants()).toHaveLength(1);
  });

  it('adds a key moved in with its grant, once however often', async () => {
    const { keys } = await adapter.open();
    await keys.publish(counter('a'));
    await keys.createKey(key('k1', { created_at: 5_000 }), grant('k1', 'a'));
    await keys.addKey(key('legacy', { created_at: 9_000 }), grant('legacy', 'a'));
    await keys.addKey(key('legacy', { created_at: 9_999 }), grant('legacy', 'a', { granted_at: 3_000 }));
    expect(await keys.keys()).toEqual([
      key('k1', { created_at: 5_000 }),
      key('legacy', { created_at: 9_000 }),
    ]);
    expect(await keys.grantsTo('a')).toEqual([grant('k1', 'a'), grant('legacy', 'a', { granted_at: 3_000 })]);
  });

  it('grants a key to a counter, and grants it again for the counter’s new key pair', async () => {
    const { keys } = await adapter.open();
    await keys.publish(counter('a'));
    await keys.createKey(key('k1'), grant('k1', 'a'));
    await keys.grant(grant('k1', 'b', { granted_by: 'a' }));
    await keys.grant(grant('k1', 'c', { granted_by: 'a' }));
    expect(await keys.grants()).toEqual([
      grant('k1', 'a'),
      grant('k1', 'b', { granted_by: 'a' }),
      grant('k1', 'c', { granted_by: 'a' }),
    ]);
    const again = grant('k1', 'b', {
      public_key: 'pub-b2',
      wrapped: 'rewrapped',
      granted_by: 'c',
      granted_at: 8_000,
    });
    await keys.grant(again);
    expect(await keys.grantsTo('b')).toEqual([again]);
    expect(await keys.grantsTo('nobody')).toEqual([]);
  });
});
