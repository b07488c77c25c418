import { beforeEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The trail (`events`) on both adapters: appended in order, read per request and per kind, and
 * scrubbed to TRAIL_KEYS once — and only once — its request is purged.
 */
const adapters = useRegisters();

describe.each(adapters)('trail on $name', (adapter) => {
  let t = 1_700_000_000_000;
  const now = () => t;
  beforeEach(() => {
    t = 1_700_000_000_000;
  });

  it('records the counter each event was taken at, as the counter is named then', async () => {
    let name = 'Sportello 1';
    const store = await adapter.open(now, () => name);
    await store.trail.add('r1', 'created', 'anna');
    name = 'Sportello 2';
    await store.trail.add('r1', 'submitted', 'bruno');
    expect((await store.trail.of('r1')).map((e) => [e.operator, e.counter])).toEqual([
      ['anna', 'Sportello 1'],
      ['bruno', 'Sportello 2'],
    ]);
  });

  it('reads a request’s events oldest first, with their time, operator and data', async () => {
    const store = await adapter.open(now);
    await store.trail.add('r1', 'created', 'anna', { service: 'Visura', total: 4.5 });
    t += 10;
    await store.trail.add('r2', 'created', 'bruno');
    t += 10;
    await store.trail.add('r1', 'submitted', 'anna');
    t += 10;
    await store.trail.add(null, 'probed', 'it', { code: 'ok' });
    t += 10;
    await store.trail.add('r1', 'status_changed', '', { from: 'open', to: 'pending' });

    expect(await store.trail.of('r1')).toEqual([
      {
        kind: 'created',
        at: 1_700_000_000_000,
        operator: 'anna',
        counter: 'Sportello 1',
        data: { service: 'Visura', total: 4.5 },
      },
      { kind: 'submitted', at: 1_700_000_000_020, operator: 'anna', counter: 'Sportello 1', data: null },
      {
        kind: 'status_changed',
        at: 1_700_000_000_040,
        operator: '',
        counter: 'Sportello 1',
        data: { from: 'open', to: 'pending' },
      },
    ]);
    expect(await store.trail.of('r2')).toEqual([
      { kind: 'created', at: 1_700_000_000_010, operator: 'bruno', counter: 'Sportello 1', data: null },
    ]);
    expect(await store.trail.of('nobody')).toEqual([]);
  });

  it('keeps the order of appending when events share a time', async () => {
    const store = await adapter.open(() => 5);
    for (const kind of ['created', 'validated', 'submitted', 'accepted', 'opened'] as const)
      await store.trail.add('r1', kind, 'anna');
    expect((await store.trail.of('r1')).map((e) => e.kind)).toEqual([
      'created',
      'validated',
      'submitted',
      'accepted',
      'opened',
    ]);
  });

  it('filters one kind, oldest first', async () => {
    const store = await adapter.open(now);
    await store.trail.add('r1', 'error', 'anna', { code: 'network' });
    await store.trail.add('r1', 'created', 'anna');
    await store.trail.add('r1', 'error', 'bruno', { code: 'timeout' });
    await store.trail.add('r2', 'error', 'anna', { code: 'other' });

    expect((await store.trail.ofKind('r1', 'error')).map((e) => [e.operator, e.data])).toEqual([
      ['anna', { code: 'network' }],
      ['bruno', { code: 'timeout' }],
    ]);
    expect(await store.trail.ofKind('r1', 'purged')).toEqual([]);
  });

  it('scrubs a purged request’s events to TRAIL_KEYS, leaving other requests’ alone', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1', status: 'done' }));
    await store.trail.add('r1', 'created', 'anna', { service: 'Visura', nome: 'Mario Rossi', total: 4.5 });
    await store.trail.add('r1', 'cancel_requested', 'anna', { reason: 'doppia', note: 'Rossi ha chiamato' });
    await store.trail.add('r1', 'error', 'anna', { message: 'Rossi Mario non trovato' });
    await store.trail.add('r1', 'opened', 'anna');
    // A kept key with a value of another type goes too.
    await store.trail.add('r1', 'status_changed', '', { from: 'open', to: 7 });
    await store.trail.add('r2', 'created', 'anna', { nome: 'Luigi Bianchi' });
    await store.requests.markPurged('r1');

    await store.trail.scrub('r1');

    expect(await store.trail.of('r1')).toEqual([
      {
        kind: 'created',
        at: t,
        operator: 'anna',
        counter: 'Sportello 1',
        data: { service: 'Visura', total: 4.5 },
      },
      {
        kind: 'cancel_requested',
        at: t,
        operator: 'anna',
        counter: 'Sportello 1',
        data: { reason: 'doppia' },
      },
      { kind: 'error', at: t, operator: 'anna', counter: 'Sportello 1', data: null },
      { kind: 'opened', at: t, operator: 'anna', counter: 'Sportello 1', data: null },
      { kind: 'status_changed', at: t, operator: '', counter: 'Sportello 1', data: { from: 'open' } },
    ]);
    expect(await store.trail.of('r2')).toEqual([
      { kind: 'created', at: t, operator: 'anna', counter: 'Sportello 1', data: { nome: 'Luigi Bianchi' } },
    ]);
  });

  it('refuses to scrub the trail of a request that is not purged', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.trail.add('r1', 'created', 'anna', { service: 'Visura', nome: 'Mario Rossi' });

    await expect(store.trail.scrub('r1')).rejects.toThrow(/append-only/);
    expect(await store.trail.of('r1')).toEqual([
      {
        kind: 'created',
        at: t,
        operator: 'anna',
        counter: 'Sportello 1',
        data: { service: 'Visura', nome: 'Mario Rossi' },
      },
    ]);
  });

  it('scrubs nothing when nothing is personal, purged or not', async () => {
    const store = await adapter.open(now);
    await store.requests.insert(requestRow({ id: 'r1' }));
    await store.trail.add('r1', 'created', 'anna', { service: 'Visura' });
    await store.trail.add('r1', 'opened', 'anna');

    await store.trail.scrub('r1');
    expect((await store.trail.of('r1')).map((e) => e.data)).toEqual([{ service: 'Visura' }, null]);
  });
});
