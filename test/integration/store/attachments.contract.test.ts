import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import type { AttachmentRow } from '../../../main/store/attachments.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * A draft's attachments on both adapters: stored as given, read in field and position order,
 * moved between fields, their scans forgotten, deleted one by one or all with the draft.
 */
const adapters = useRegisters();

const attachment = (id: string, requestId: string, fieldKey: string, position: number): AttachmentRow => ({
  id,
  requestId,
  fieldKey,
  position,
  fileName: `${id}.jpg`,
  sourceKind: 'jpeg',
  mime: 'image/jpeg',
  size: 3_000_000_000 + position,
  pages: 1 + position,
  sha256: `${id}`.padEnd(64, '0'),
  storedPath: `/scans/${requestId}/${id}.jpg`,
  createdAt: 1_700_000_000_000 + position,
});

describe.each(adapters)('attachments on $name', (adapter) => {
  it('reads a request’s attachments back whole, by field then position', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await store.requests.insert(requestRow({ id: 'r2', status: 'draft' }));
    const a = attachment('a', 'r1', '$2', 1);
    const b = attachment('b', 'r1', '$10', 0);
    const c = attachment('c', 'r1', '$2', 0);
    const d = attachment('d', 'r2', '$2', 0);
    for (const x of [a, b, c, d]) await store.attachments.insert(x);

    // field_key sorts byte-wise on both ('$10' < '$2').
    expect(await store.attachments.of('r1')).toEqual([b, c, a]);
    expect(await store.attachments.of('r2')).toEqual([d]);
    expect(await store.attachments.of('r3')).toEqual([]);
  });

  it('keeps a null stored path', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    const a = { ...attachment('a', 'r1', '$0', 0), storedPath: null };
    await store.attachments.insert(a);
    expect(await store.attachments.of('r1')).toEqual([a]);
  });

  it('refuses an attachment of a request that does not exist, and a second one with the same id', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await expect(store.attachments.insert(attachment('a', 'nobody', '$0', 0))).rejects.toThrow(
      /foreign key/i,
    );
    await store.attachments.insert(attachment('a', 'r1', '$0', 0));
    await expect(store.attachments.insert(attachment('a', 'r1', '$1', 0))).rejects.toThrow(
      /UNIQUE|duplicate key/,
    );
    expect((await store.attachments.of('r1')).map((x) => [x.id, x.fieldKey])).toEqual([['a', '$0']]);
  });

  it('moves an attachment to another field and position, or within its field', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    for (const x of [
      attachment('a', 'r1', '$0', 0),
      attachment('b', 'r1', '$0', 1),
      attachment('c', 'r1', '$1', 0),
    ])
      await store.attachments.insert(x);

    await store.attachments.setField('a', '$1', 1);
    expect((await store.attachments.of('r1')).map((x) => [x.id, x.fieldKey, x.position])).toEqual([
      ['b', '$0', 1],
      ['c', '$1', 0],
      ['a', '$1', 1],
    ]);

    await store.attachments.setPosition('b', 0);
    await store.attachments.setPosition('c', 2);
    expect((await store.attachments.of('r1')).map((x) => [x.id, x.fieldKey, x.position])).toEqual([
      ['b', '$0', 0],
      ['a', '$1', 1],
      ['c', '$1', 2],
    ]);
  });

  it('deletes one attachment only under its own request', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await store.requests.insert(requestRow({ id: 'r2', status: 'draft' }));
    await store.attachments.insert(attachment('a', 'r1', '$0', 0));
    await store.attachments.insert(attachment('b', 'r1', '$0', 1));

    await store.attachments.delete('r2', 'a');
    expect((await store.attachments.of('r1')).map((x) => x.id)).toEqual(['a', 'b']);
    await store.attachments.delete('r1', 'a');
    expect((await store.attachments.of('r1')).map((x) => x.id)).toEqual(['b']);
  });

  it('forgets a request’s scans, keeping their metadata', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await store.requests.insert(requestRow({ id: 'r2', status: 'draft' }));
    const a = attachment('a', 'r1', '$0', 0);
    const b = attachment('b', 'r1', '$0', 1);
    const c = attachment('c', 'r2', '$0', 0);
    for (const x of [a, b, c]) await store.attachments.insert(x);

    await store.attachments.forgetFiles('r1');
    expect(await store.attachments.of('r1')).toEqual([
      { ...a, storedPath: null },
      { ...b, storedPath: null },
    ]);
    expect(await store.attachments.of('r2')).toEqual([c]);
  });

  it('deletes every attachment of one request', async () => {
    const store = await adapter.open();
    await store.requests.insert(requestRow({ id: 'r1', status: 'draft' }));
    await store.requests.insert(requestRow({ id: 'r2', status: 'draft' }));
    const c = attachment('c', 'r2', '$0', 0);
    for (const x of [attachment('a', 'r1', '$0', 0), attachment('b', 'r1', '$1', 0), c])
      await store.attachments.insert(x);

    await store.attachments.deleteAll('r1');
    expect(await store.attachments.of('r1')).toEqual([]);
    expect(await store.attachments.of('r2')).toEqual([c]);
  });
});
