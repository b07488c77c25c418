import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_LOGS } from './fixtures.ts';

/*
 * Runs after the whole e2e project (its `teardown`): every line every test's app wrote to its log,
 * searched for every codice fiscale and every name the clerk typed in the run. None may be there.
 */

interface Typed {
  cfs: string[];
  names: string[];
}

function runs(): { id: string; typed: Typed; lines: { file: string; line: string }[] }[] {
  if (!existsSync(E2E_LOGS)) return [];
  return readdirSync(E2E_LOGS).map((id) => {
    const dir = join(E2E_LOGS, id);
    const typedFile = join(dir, 'typed.json');
    const typed = existsSync(typedFile)
      ? (JSON.parse(readFileSync(typedFile, 'utf8')) as Typed)
      : { cfs: [], names: [] };
    const logs = join(dir, 'logs');
    const lines = existsSync(logs)
      ? readdirSync(logs).flatMap((file) =>
          readFileSync(join(logs, file), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => ({ file: join(id, 'logs', file), line })),
        )
      : [];
    return { id, typed, lines };
  });
}

test('no log line of the e2e run holds a codice fiscale or a name typed in it', () => {
  const all = runs();
  const lines = all.flatMap((r) => r.lines);
  const cfs = [...new Set(all.flatMap((r) => r.typed.cfs))];
  const names = [...new Set(all.flatMap((r) => r.typed.names))];
  // The scan proves something only if the run typed clients and logged.
  expect(all.length, 'e2e tests that ran').toBeGreaterThan(0);
  expect(lines.length, 'log lines written').toBeGreaterThan(0);
  expect(cfs.length, 'codici fiscali typed').toBeGreaterThan(0);
  expect(names.length, 'names typed').toBeGreaterThan(0);

  const hits: string[] = [];
  for (const { file, line } of lines) {
    const upper = line.toUpperCase();
    for (const needle of [...cfs, ...names])
      if (upper.includes(needle.toUpperCase())) hits.push(`${file}: «${needle}» in ${line.slice(0, 300)}`);
  }
  test.info().annotations.push({
    type: 'scanned',
    description: `${lines.length} righe, ${cfs.length} codici fiscali, ${names.length} nomi`,
  });
  expect(hits).toEqual([]);
});
