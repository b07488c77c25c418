import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelNames, contract, type Handlers } from '../../../common/api.ts';
import { createDispatcher } from '../../../main/dispatch.ts';
import { PathGrants } from '../../../main/security/grants.ts';
import type { Logger } from '../../../main/ports.ts';

const quiet: Logger = { info() {}, warn() {}, error() {} };

/** Handlers that must never run: every call below carries arguments the contract refuses. */
function trap(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((name) => [
      name,
      async () => {
        calls.push(name);
        return null;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const uuid = '3b241101-e2bb-4255-8caf-4136c566a962';
/** Values near the valid ones (ids, hashes, euro, bytes), so refusals are about shape, not noise. */
const nearValid = fc.oneof(
  fc.anything({ withTypedArray: true, withMap: true, withSet: true, withDate: true, withBigInt: true }),
  fc.constantFrom(
    uuid,
    `${uuid} `,
    uuid.toUpperCase().replace(/-/g, ''),
    '8a7c8386fff43d28182cfa2ad24a3532',
    '8a7c8386fff43d28182cfa2ad24a353',
    '$5',
    '$-1',
    14.7,
    -1,
    Number.NaN,
    Infinity,
    1e12,
    'prova',
    'PROVA',
    '',
    null,
    undefined,
    new Uint8Array(4),
    { name: 'a.pdf' },
    { __proto__: { polluted: true } },
  ),
);

describe('IPC arguments refused by the contract', () => {
  it('refuses every invalid argument list on every channel before any handler runs', async () => {
    const { handlers, calls } = trap();
    const dispatch = createDispatcher(handlers, quiet, new PathGrants());
    for (const name of channelNames) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            // wrong arity or wrong types
            fc.array(nearValid, { maxLength: 5 }),
            // not an argument list at all
            nearValid,
          ),
          async (args) => {
            fc.pre(!contract[name].args.safeParse(args).success);
            const outcome = await dispatch(name, args);
            expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
          },
        ),
        { numRuns: 150, seed: 15 },
      );
    }
    expect(calls).toEqual([]);
  });

  it('refuses one extra argument, and one missing, on every channel', async () => {
    const { handlers, calls } = trap();
    const dispatch = createDispatcher(handlers, quiet, new PathGrants());
    const optionalLast: string[] = [];
    for (const name of channelNames) {
      const items = (contract[name].args as unknown as { def: { items: unknown[] } }).def.items;
      const tooMany = [...Array.from({ length: items.length }, () => 'x'), 'extra'];
      expect(await dispatch(name, tooMany), name).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
      if (items.length > 0) {
        const tooFew = Array.from({ length: items.length - 1 }, () => uuid);
        const outcome = await dispatch(name, tooFew);
        // An optional last argument may be left out (settings.testConnection, settings.spending).
        if (!contract[name].args.safeParse(tooFew).success)
          expect(outcome, name).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
        else optionalLast.push(name);
      }
    }
    expect(optionalLast).toEqual(['settings.testConnection', 'settings.spending'].sort());
    expect(calls.filter((c) => !optionalLast.includes(c))).toEqual([]);
  });

  it('refuses channels that are not in the contract, including inherited names', async () => {
    const { handlers, calls } = trap();
    const dispatch = createDispatcher(handlers, quiet, new PathGrants());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            '__proto__',
            'constructor',
            'toString',
            'hasOwnProperty',
            'requests.submit ',
            'REQUESTS.SUBMIT',
          ),
        ),
        async (channel) => {
          fc.pre(!channelNames.includes(channel as never));
          expect(await dispatch(channel, [])).toMatchObject({
            ok: false,
            error: { code: 'invalid_argument' },
          });
        },
      ),
      { numRuns: 500, seed: 16 },
    );
    for (const weird of [null, undefined, 42, {}, ['requests.submit']])
      expect(await dispatch(weird as never, [])).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });
});
