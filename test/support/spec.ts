import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Operation {
  responses: Record<string, { content?: { 'application/json'?: { example?: unknown } } }>;
}

/** Openapi's own visengine.openapi.json (Apache-2.0), copied into the fixtures. */
export const spec = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'spec', 'visengine.openapi.json'), 'utf8'),
) as { paths: Record<string, Record<string, Operation>> };

/** Every example answer of the spec: path, method, HTTP status and the envelope. */
export function specExamples() {
  const out: {
    path: string;
    method: string;
    status: number;
    body: { data: unknown; success: boolean; error: unknown; message: unknown };
  }[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const example = response.content?.['application/json']?.example;
        if (example)
          out.push({ path, method: method.toUpperCase(), status: Number(status), body: example as never });
      }
    }
  }
  return out;
}
