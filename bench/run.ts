/*
 * `npm run bench`: every figure with a baseline measured in the same run, its ratio and its
 * target. Figures, not assertions: the exit code is 0 whatever they say. `--write` also records
 * the table and the machine in BENCHMARKS.md. `--only=documents,log` runs some sections
 * (`log-pg`: the office register on PostgreSQL, a million rows, some two minutes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchAttachments } from './attachments.ts';
import { benchDocuments } from './document.ts';
import { benchReading } from './reading.ts';
import { benchRenderer } from './renderer.ts';
import { benchRequestLog } from './requestLog.ts';
import { benchRequestLogPostgres } from './requestLogPostgres.ts';
import { renderTable, type Figure } from './support.ts';
import { benchTracker } from './tracker.ts';

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const figures: Figure[] = [];
const sections: [string, () => Promise<Figure[] | string>][] = [
  ['documents', () => benchDocuments()],
  ['attachments', () => benchAttachments()],
  ['reading', () => benchReading()],
  ['log', () => benchRequestLog()],
  // Beside SQLite's figures of the section above (its baselines), when it ran.
  ['log-pg', () => benchRequestLogPostgres(figures)],
  ['tracker', () => benchTracker()],
  ['renderer', () => benchRenderer()],
];

function machine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux: os.cpus() said it
  }
  return [
    `CPU: ${model.trim()}, ${cpus().length} cores`,
    `RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    `Node: ${process.version} (${process.platform}-${process.arch})`,
    `Date: ${new Date().toISOString()}`,
  ].join('\n');
}

const started = performance.now();
const notes: string[] = [];
for (const [name, run] of sections) {
  if (only && !only.includes(name)) continue;
  const t = performance.now();
  process.stderr.write(`bench: ${name}… `);
  try {
    const result = await run();
    if (typeof result === 'string') notes.push(`${name}: ${result}`);
    else figures.push(...result);
    process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    notes.push(`${name}: failed — ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write('failed\n');
  }
}
const table = renderTable(figures);
const info = machine();
process.stdout.write(`\n${info}\n\n${table}\n${notes.map((n) => `\n${n}`).join('')}\n`);
process.stdout.write(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

if (process.argv.includes('--write')) {
  const file = join(import.meta.dirname, '..', 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const block = `${begin}\n\`\`\`\n${info}\n\`\`\`\n\n${table}\n${notes.map((n) => `\n${n}`).join('')}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  writeFileSync(
    file,
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text}\n${block}\n`,
  );
}
process.exit(0);
