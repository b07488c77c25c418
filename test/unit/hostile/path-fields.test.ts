import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { channelNames, contract } from '../../../common/api.ts';
import { grantedPathSchema } from '../../../common/granted-path.ts';

/*
 * One kind of path from the page: every field of the contract that can carry a file path is the
 * granted-path type (common/granted-path.ts), which main's dispatcher resolves against its grants
 * before any handler runs. This walks every channel's argument schema, as zod 4 describes it, and
 * looks at every string it can hold:
 *   - a field whose name speaks of a path (path, folder, dir, file) must be the granted type;
 *   - any other string that takes a path (absolute, drive letter, UNC, `..`, a bare file name)
 *     must be a free-text position listed below, each with the reason it is no path;
 *   - the granted type must sit where the dispatcher's walk follows it (objects, arrays, tuples,
 *     records, unions, wrappers), never behind a transform or an intersection.
 */

/** Strings that are files, folders or ways to them on some system. */
const PATH_PROBES = [
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  'C:/Windows/win.ini',
  '\\\\server\\share\\x.pdf',
  '//server/share/x.pdf',
  '../../x.pdf',
  '..',
  'scansione.pdf',
];

const PATHISH_NAME = /path|folder|dir|file/i;

/** Free text that takes any string, and why main never uses it as a path. */
const FREE_TEXT: Record<string, string> = {
  'drafts.update[1].fields{}': 'a form field’s value, sent to Visengine as data',
  'drafts.update[1].options[]': 'an option’s name, checked against the service’s list',
  'attachments.add[2].name': 'the display name of pasted bytes; main sanitises it and never opens it',
  'attachments.place[1][].name': 'the display name of pasted bytes; main sanitises it and never opens it',
  'requests.list[0].text': 'search text, a bound SQL parameter',
  'requests.list[0].counter': 'a counter’s name, compared in SQL',
  'requests.list[0].operator': 'an operator’s name, compared in SQL',
  'requests.cancel[1]': 'the reason for cancelling, sent to Visengine',
  'requests.chooseResult[1]': 'a search id given by Visengine',
  'requests.checkIssue[1]': 'a wallet transaction’s id',
  'clients.search[0]': 'search text, a bound SQL parameter',
  'settings.update[0].operatorName': 'a person’s name, printed and recorded',
  'settings.update[0].counterName': 'the counter’s name, recorded in the trail',
  'settings.update[0].officeName': 'the office’s name, printed on the mandato',
  'settings.update[0].officeAddress': 'the office’s address, printed on the receipt',
  'settings.setApiKey[1]': 'the Openapi account’s email, sent to the OAuth API',
  'settings.setApiKey[2]': 'a secret, encrypted with the OS keystore',
  'settings.setToken[1]': 'a secret, encrypted with the OS keystore',
  'office.test[0].host': 'a server’s name or address (no slash: never a Unix socket folder)',
  'office.test[0].database': 'a PostgreSQL database name, sent to the server',
  'office.test[0].user': 'a PostgreSQL role name, sent to the server',
  'office.test[0].password': 'a secret, sent to the server',
  'office.join[0].host': 'a server’s name or address (no slash: never a Unix socket folder)',
  'office.join[0].database': 'a PostgreSQL database name, sent to the server',
  'office.join[0].user': 'a PostgreSQL role name, sent to the server',
  'office.join[0].password': 'a secret, sent to the server',
  'office.prepare[0].host': 'a server’s name or address (no slash: never a Unix socket folder)',
  'office.prepare[0].database': 'a PostgreSQL database name, sent to the server',
  'office.prepare[0].user': 'a PostgreSQL role name, sent to the server',
  'office.prepare[0].owner': 'the owner’s PostgreSQL role name, sent to the server',
  'office.prepare[0].ownerPassword': 'a secret, sent to the server and kept nowhere',
};

interface Leaf {
  where: string;
  /** The object key it sits under, if any (array elements and record values keep their field's). */
  name: string | null;
  schema: z.ZodType;
  granted: boolean;
  /** The schema types on the way to it. */
  through: string[];
}

type Def = Record<string, unknown> & { type: string };
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);
const OPAQUE = new Set([
  'number',
  'boolean',
  'enum',
  'literal',
  'null',
  'undefined',
  'custom',
  'bigint',
  'date',
  // A transform's input is checked by the schema piped into it (walked as the pipe's `in`).
  'transform',
]);

function leaves(schema: z.ZodType, where: string, name: string | null, through: string[]): Leaf[] {
  if (schema === grantedPathSchema) return [{ where, name, schema, granted: true, through }];
  const def = defOf(schema);
  const next = [...through, def.type];
  if (WRAPPERS.has(def.type)) return leaves(def.innerType as z.ZodType, where, name, next);
  switch (def.type) {
    case 'string':
      return [{ where, name, schema, granted: false, through }];
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, s]) =>
        leaves(s, `${where}.${key}`, key, next),
      );
    case 'array':
      return leaves(def.element as z.ZodType, `${where}[]`, name, next);
    case 'tuple':
      return [
        ...(def.items as z.ZodType[]).flatMap((s, i) => leaves(s, `${where}[${i}]`, null, next)),
        ...(def.rest ? leaves(def.rest as z.ZodType, `${where}[…]`, null, next) : []),
      ];
    case 'record':
      return [
        ...leaves(def.keyType as z.ZodType, `${where}{key}`, name, next),
        ...leaves(def.valueType as z.ZodType, `${where}{}`, name, next),
      ];
    case 'union':
      return (def.options as z.ZodType[]).flatMap((s) => leaves(s, where, name, next));
    case 'lazy':
      return leaves((def.getter as () => z.ZodType)(), where, name, next);
    case 'pipe':
      return [
        ...leaves(def.in as z.ZodType, where, name, next),
        ...leaves(def.out as z.ZodType, where, name, next),
      ];
    case 'intersection':
      return [
        ...leaves(def.left as z.ZodType, where, name, next),
        ...leaves(def.right as z.ZodType, where, name, next),
      ];
    default:
      if (OPAQUE.has(def.type)) return [];
      // any, unknown, … take a path as well as anything else: no channel may accept them.
      return [{ where, name, schema, granted: false, through }];
  }
}

const all = channelNames.flatMap((channel) => leaves(contract[channel].args, channel, null, []));
const takesAPath = (leaf: Leaf) => PATH_PROBES.some((probe) => leaf.schema.safeParse(probe).success);

describe('every path field of the contract is the granted-path type', () => {
  it('finds the paths the page hands over: the files of attachments.add and attachments.place', () => {
    expect(all.filter((l) => l.granted).map((l) => l.where)).toEqual([
      'attachments.add[2].path',
      'attachments.place[1][].path',
    ]);
  });

  it('gives every field named for a path, folder, dir or file the granted type', () => {
    const named = all.filter((l) => l.name !== null && PATHISH_NAME.test(l.name));
    expect(named.filter((l) => !l.granted).map((l) => l.where)).toEqual([]);
  });

  it('lets no other string that takes a path through, except the free text listed with its reason', () => {
    const open = all.filter((l) => !l.granted && takesAPath(l)).map((l) => l.where);
    expect(open.filter((where) => !Object.hasOwn(FREE_TEXT, where))).toEqual([]);
    // …and the list names nothing that is not there any more.
    expect(Object.keys(FREE_TEXT).filter((where) => !open.includes(where))).toEqual([]);
  });

  it('puts the granted type only where the dispatcher’s walk follows it', () => {
    const walkable = new Set(['tuple', 'object', 'array', 'record', 'union', 'lazy', ...WRAPPERS]);
    for (const leaf of all.filter((l) => l.granted))
      expect(
        leaf.through.filter((type) => !walkable.has(type)),
        leaf.where,
      ).toEqual([]);
  });

  it('takes every probe in a granted field: each is a path to resolve against the grants, not to refuse by shape', () => {
    for (const probe of PATH_PROBES) expect(grantedPathSchema.safeParse(probe).success, probe).toBe(true);
  });
});
