import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCANS_SWEEP_MS } from '../../../main/attachments/sweep.ts';
import type { TestApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { useOffice } from '../../support/office.ts';

/*
 * The ID scans stay on the disk of the counter that took them; a draft thrown away, or a request
 * sent, at another counter of the office cannot reach them. The counter that holds them deletes
 * them itself, looking at the register every SCANS_SWEEP_MS.
 */
const office = useOffice();

const scansOf = (t: TestApp, id: string) => join(t.root, 'userData', 'drafts', id);

describe('scans held at one counter', () => {
  it('are deleted there once the request is discarded or retired at another counter', async () => {
    const [a, b] = await office.pair();
    await a.app.start();
    const discarded = await congedoDraft(a.app);
    const retired = await congedoDraft(a.app);
    const kept = await congedoDraft(a.app);
    // Sent back by the service after a price change: a draft that holds Openapi's id.
    await a.app.internals.store.requests.update(retired, { remoteId: '6f1d2c3b4a59687766554433' });
    const ofB = await congedoDraft(b.app);
    for (const id of [discarded, retired, kept]) expect(existsSync(scansOf(a, id)), id).toBe(true);

    await b.app.handlers['drafts.discard'](discarded);
    await b.app.handlers['drafts.discard'](retired);
    expect(await b.app.internals.store.requests.get(discarded)).toBeNull();
    expect((await b.app.internals.store.requests.get(retired))?.status).toBe('cancelled');
    // B could not reach A's disk.
    expect(existsSync(scansOf(a, discarded))).toBe(true);
    expect(existsSync(scansOf(a, retired))).toBe(true);

    a.clock.advance(SCANS_SWEEP_MS);
    await a.app.internals.idle();

    expect(existsSync(scansOf(a, discarded))).toBe(false);
    expect(existsSync(scansOf(a, retired))).toBe(false);
    expect(readdirSync(join(a.root, 'userData', 'drafts'))).toEqual([kept]);
    expect(readdirSync(join(b.root, 'userData', 'drafts'))).toEqual([ofB]);
    const swept = (await a.app.internals.store.trail.of(retired)).filter((e) => e.kind === 'scans_deleted');
    expect(swept).toMatchObject([{ counter: 'Ufficio-1', data: { draft: retired, reason: 'cancelled' } }]);
    expect(await a.app.handlers['drafts.get'](kept)).toMatchObject({ id: kept });
  });
});
