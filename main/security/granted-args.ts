import type { z } from 'zod';
import { grantedPathSchema, type GrantedPath } from '../../common/granted-path.ts';

/*
 * Finds the values of the contract's path type (common/granted-path.ts) in a call's parsed
 * arguments by walking the channel's schema beside them: a path is a path because the contract
 * says so, wherever it sits (a `{ path }` argument, an array of them, a field of a nested object).
 */

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;

/** Wrappers whose value is the inner schema's, or absent. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

const carrying = new WeakMap<z.ZodType, boolean>();

/** Whether `schema` has the path type anywhere inside it. */
export function carriesGrantedPath(schema: z.ZodType): boolean {
  const known = carrying.get(schema);
  if (known !== undefined) return known;
  carrying.set(schema, false); // a lazy schema that refers to itself
  const found = schema === grantedPathSchema || children(schema).some(carriesGrantedPath);
  carrying.set(schema, found);
  return found;
}

function children(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  const all = [
    def.innerType,
    ...Object.values(def.shape ?? {}),
    def.element,
    ...(def.items ?? []),
    def.rest ?? undefined,
    ...(def.options ?? []),
    def.valueType,
    def.type === 'lazy' ? def.getter?.() : undefined,
    def.in,
    def.out,
    def.left,
    def.right,
  ];
  return all.filter((s): s is z.ZodType => s !== undefined && s !== null);
}

/** Thrown when a channel puts the path type where the walk cannot follow it (a transform, an intersection). */
export class UnwalkableSchema extends Error {}

/**
 * `value` (already parsed by `schema`) with every path of the contract's path type replaced by
 * `resolve`'s answer; null as soon as one resolves to nothing.
 */
export function resolveGrantedPaths(
  schema: z.ZodType,
  value: unknown,
  resolve: (path: string) => GrantedPath | null,
): { value: unknown } | null {
  let refused = false;
  const walk = (s: z.ZodType, v: unknown): unknown => {
    if (refused || !carriesGrantedPath(s)) return v;
    if (s === grantedPathSchema) {
      const resolved = typeof v === 'string' ? resolve(v) : null;
      if (resolved === null) refused = true;
      return resolved;
    }
    const def = defOf(s);
    if (WRAPPERS.has(def.type)) return v === undefined || v === null ? v : walk(def.innerType!, v);
    switch (def.type) {
      case 'object': {
        const record = v as Record<string, unknown>;
        const out: Record<string, unknown> = { ...record };
        for (const [key, field] of Object.entries(def.shape!))
          if (Object.hasOwn(record, key)) out[key] = walk(field, record[key]);
        return out;
      }
      case 'array':
        return (v as unknown[]).map((item) => walk(def.element!, item));
      case 'tuple':
        return (v as unknown[]).map((item, i) => walk(def.items![i] ?? def.rest!, item));
      case 'record':
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([key, item]) => [
            key,
            walk(def.valueType!, item),
          ]),
        );
      case 'union': {
        // The option the value parsed as: the first that takes it, as zod's union chose.
        const option = def.options!.find((o) => o.safeParse(v).success);
        return option ? walk(option, v) : v;
      }
      case 'lazy':
        return walk(def.getter!(), v);
      default:
        throw new UnwalkableSchema(`the path type cannot be followed through a ${def.type} schema`);
    }
  };
  const resolved = walk(schema, value);
  return refused ? null : { value: resolved };
}
