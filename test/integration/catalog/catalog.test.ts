import { describe, expect, it } from 'vitest';
import { CONGEDO } from '../../support/simulator.ts';
import { startApp } from '../../support/app.ts';

describe('the catalog', () => {
  it('lists Patronato services first', async () => {
    const t = await startApp();
    const services = await t.app.handlers['catalog.list']();
    expect(services).toHaveLength(92);
    expect(services.slice(0, 55).every((s) => s.categoria === 'Patronato')).toBe(true);
  });

  it('serves the last copy when the API cannot be reached', async () => {
    const t = await startApp();
    await t.app.handlers['catalog.list']();
    await t.app.handlers['catalog.detail'](CONGEDO);
    t.simulator.faults.add({ kind: 'reset-before', times: 100 });
    expect(await t.app.handlers['catalog.list']()).toHaveLength(92);
    expect((await t.app.handlers['catalog.detail'](CONGEDO)).prezzo).toBe(14.7);
  });

  it('answers from the cache at once and refreshes a stale copy behind the clerk', async () => {
    const t = await startApp({ config: { catalog: { listMaxAgeMs: 1_000 } } });
    await t.app.handlers['catalog.list']();
    const calls = () => t.simulator.calls.get('GET /visure') ?? 0;
    const before = calls();
    await t.app.handlers['catalog.list']();
    expect(calls()).toBe(before);
    t.clock.advance(2_000);
    await t.app.handlers['catalog.list']();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls()).toBe(before + 1);
  });

  it('says the API is unreachable when there is no copy yet', async () => {
    const t = await startApp();
    t.simulator.faults.add({ kind: 'reset-before', times: 100 });
    await expect(t.app.handlers['catalog.list']()).rejects.toMatchObject({ code: 'network' });
  });
});
