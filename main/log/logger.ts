import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../ports.ts';
import { redact, redactText } from './redact.ts';

type Level = 'info' | 'warn' | 'error';

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
const LOG_FILE = /^sportello-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log$/;
const logName = (day: string, part: number) => `sportello-${day}${part ? `.${part}` : ''}.log`;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Deletes the log files of days before `before` (ms since the epoch, UTC days as in the names):
 * the retention schedule applies to the logs too. Returns the names removed.
 */
export async function pruneLogs(dir: string, before: number): Promise<string[]> {
  const cutoff = new Date(before).toISOString().slice(0, 10);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const old = names.filter((name) => {
    const day = LOG_FILE.exec(name)?.[1];
    return day !== undefined && day < cutoff;
  });
  for (const name of old) await rm(join(dir, name), { force: true });
  return old;
}

/**
 * JSON lines under `logs/`, one file a day (more past 10 MB), written synchronously so the last line before a
 * crash is on disk. Every message and field passes through redaction.
 */
export function createFileLogger(
  dir: string,
  options: { echo?: boolean; now?: () => Date; maxFileBytes?: number } = {},
): Logger {
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // The day's file, and how far it has grown: past the cap the day goes on in `.1`, `.2`, …
  let current = { day: '', part: 0, bytes: 0 };
  const fileFor = (day: string, bytes: number): string => {
    if (current.day !== day) current = { day, part: 0, bytes: sizeOf(join(dir, logName(day, 0))) };
    while (current.bytes > 0 && current.bytes + bytes > maxFileBytes) {
      current.part++;
      current.bytes = sizeOf(join(dir, logName(day, current.part)));
    }
    current.bytes += bytes;
    return join(dir, logName(day, current.part));
  };
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const time = now();
    const line = JSON.stringify({
      t: time.toISOString(),
      level,
      msg: redactText(message),
      ...(fields ? (redact(fields) as Record<string, unknown>) : {}),
    });
    try {
      const text = `${line}\n`;
      appendFileSync(fileFor(time.toISOString().slice(0, 10), Buffer.byteLength(text)), text);
    } catch (error) {
      // The log must never take the app down; say so on stderr instead.
      process.stderr.write(`log write failed: ${String(error)}\n`);
    }
    if (options.echo) process.stderr.write(`${line}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
