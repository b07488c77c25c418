import { describe, expect, it } from 'vitest';
import type { ServiceSummary } from '../../../common/catalog.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The catalog's cache on both adapters, per environment: the list in the service's order with the
 * time it was fetched, replaced whole; each service's detail, replaced on a new fetch.
 */
const adapters = useRegisters();

const service = (hash: string, nome = `Servizio ${hash}`, categoria = 'Patronato'): ServiceSummary => ({
  hash,
  nome,
  categoria,
});

describe.each(adapters)('catalog on $name', (adapter) => {
  it('has no list and no time before the first fetch', async () => {
    const store = await adapter.open();
    expect(await store.catalog.list('sandbox')).toEqual([]);
    expect(await store.catalog.listFetchedAt('sandbox')).toBeNull();
  });

  it('keeps the list in the service’s order, per environment', async () => {
    const store = await adapter.open();
    const list = [service('c'), service('a', 'Visura', 'Camerali'), service('b')];
    await store.catalog.replaceList('sandbox', list, 1_700_000_000_000);
    await store.catalog.replaceList('produzione', [service('z')], 1_700_000_000_500);

    expect(await store.catalog.list('sandbox')).toEqual(list);
    expect(await store.catalog.listFetchedAt('sandbox')).toBe(1_700_000_000_000);
    expect(await store.catalog.list('produzione')).toEqual([service('z')]);
    expect(await store.catalog.listFetchedAt('produzione')).toBe(1_700_000_000_500);
    expect(await store.catalog.list('prova')).toEqual([]);
  });

  it('replaces the list whole, and its time', async () => {
    const store = await adapter.open();
    await store.catalog.replaceList('sandbox', [service('a'), service('b'), service('c')], 1000);
    await store.catalog.replaceList('sandbox', [service('d'), service('b', 'Rinominato')], 2000);

    expect(await store.catalog.list('sandbox')).toEqual([service('d'), service('b', 'Rinominato')]);
    expect(await store.catalog.listFetchedAt('sandbox')).toBe(2000);

    await store.catalog.replaceList('sandbox', [], 3000);
    expect(await store.catalog.list('sandbox')).toEqual([]);
    expect(await store.catalog.listFetchedAt('sandbox')).toBe(3000);
  });

  it('keeps the last entry of a service listed twice, at its place', async () => {
    const store = await adapter.open();
    await store.catalog.replaceList(
      'sandbox',
      [service('a', 'Prima'), service('b'), service('a', 'Seconda'), service('c')],
      1000,
    );
    expect(await store.catalog.list('sandbox')).toEqual([
      service('b'),
      service('a', 'Seconda'),
      service('c'),
    ]);
  });

  it('keeps a long list in order', async () => {
    const store = await adapter.open();
    const list = Array.from({ length: 300 }, (_, i) => service(`h${((299 - i) * 7919) % 1000}-${i}`));
    await store.catalog.replaceList('produzione', list, 1);
    expect(await store.catalog.list('produzione')).toEqual(list);
  });

  it('stores a service’s detail as JSON with its time, per environment, replaced on a new fetch', async () => {
    const store = await adapter.open();
    expect(await store.catalog.detail('sandbox', 'a')).toBeNull();

    const detail = { hash: 'a', nome: 'Visura', campi: { $0: { nome: 'CF', ordine: null } }, prezzo: 4.78 };
    await store.catalog.putDetail('sandbox', 'a', detail, 1000);
    await store.catalog.putDetail('produzione', 'a', { hash: 'a', nome: 'Altro' }, 1500);
    expect(await store.catalog.detail('sandbox', 'a')).toEqual({
      json: JSON.stringify(detail),
      fetchedAt: 1000,
    });
    expect(JSON.parse((await store.catalog.detail('sandbox', 'a'))!.json)).toEqual(detail);

    await store.catalog.putDetail('sandbox', 'a', { hash: 'a', nome: 'Nuova' }, 2000);
    expect(await store.catalog.detail('sandbox', 'a')).toEqual({
      json: '{"hash":"a","nome":"Nuova"}',
      fetchedAt: 2000,
    });
    expect(await store.catalog.detail('produzione', 'a')).toEqual({
      json: '{"hash":"a","nome":"Altro"}',
      fetchedAt: 1500,
    });
    expect(await store.catalog.detail('sandbox', 'b')).toBeNull();
  });

  it('replaces the list in one transaction: a failure keeps the old list and time', async () => {
    const store = await adapter.open();
    await store.catalog.replaceList('sandbox', [service('a'), service('b')], 1000);
    // A service without a name: NOT NULL refuses it, after the DELETE ran.
    const broken = [service('c'), { hash: 'd', nome: null, categoria: 'x' } as unknown as ServiceSummary];
    await expect(store.catalog.replaceList('sandbox', broken, 2000)).rejects.toThrow(/NOT NULL|not-null/);

    expect(await store.catalog.list('sandbox')).toEqual([service('a'), service('b')]);
    expect(await store.catalog.listFetchedAt('sandbox')).toBe(1000);
  });
});
