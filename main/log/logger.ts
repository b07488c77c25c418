import { appendFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE, privateDir } from '../files/private.ts';
import type { Logger } from '../ports.ts';
import { redact, redactText } from './redact.ts';

type Level = 'info' | 'warn' | 'error';

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** However long the retention, the logs never take more than this (the oldest files go first). */
const DEFAULT_MAX_FILES = 60;
const DEFAULT_MAX_TOTAL_BYTES = 200 * 1024 * 1024;
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
 * Removes the oldest log files (by day, then part) until at most `maxFiles` remain and they take at
 * most `maxTotalBytes`; `keep` (the file being written) stays whatever its size. Returns the names removed.
 */
export function capLogs(
  dir: string,
  limits: { maxFiles: number; maxTotalBytes: number },
  keep?: string,
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files = names
    .map((name) => ({ name, match: LOG_FILE.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map((f) => ({
      name: f.name,
      day: f.match[1]!,
      part: Number(f.match[2] ?? 0),
      bytes: sizeOf(join(dir, f.name)),
    }))
    .sort((a, b) => (a.day === b.day ? a.part - b.part : a.day < b.day ? -1 : 1));
  let count = files.length;
  let total = files.reduce((sum, f) => sum + f.bytes, 0);
  const removed: string[] = [];
  for (const file of files) {
    if (count <= limits.maxFiles && total <= limits.maxTotalBytes) break;
    if (file.name === keep) continue;
    rmSync(join(dir, file.name), { force: true });
    removed.push(file.name);
    count--;
    total -= file.bytes;
  }
  return removed;
}

/**
 * JSON lines under `logs/`, one file a day (more past 10 MB), written synchronously so the last line before a
 * crash is on disk; at most `maxFiles` files and `maxTotalBytes` in all (the oldest removed when a new
 * file starts, and at start). Every message and field passes through redaction.
 */
export function createFileLogger(
  dir: string,
  options: {
    echo?: boolean;
    now?: () => Date;
    maxFileBytes?: number;
    maxFiles?: number;
    maxTotalBytes?: number;
  } = {},
): Logger {
  // Codes and ids only, yet about clients' requests: the clerk's account's only (files/private.ts).
  privateDir(dir);
  const now = options.now ?? (() => new Date());
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const limits = {
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
  };
  capLogs(dir, limits);
  // The day's file, and how far it has grown: past the cap the day goes on in `.1`, `.2`, …
  let current = { day: '', part: 0, bytes: 0 };
  const fileFor = (day: string, bytes: number): string => {
    const before = `${current.day}.${current.part}`;
    if (current.day !== day) current = { day, part: 0, bytes: sizeOf(join(dir, logName(day, 0))) };
    while (current.bytes > 0 && current.bytes + bytes > maxFileBytes) {
      current.part++;
      current.bytes = sizeOf(join(dir, logName(day, current.part)));
    }
    const name = logName(day, current.part);
    // Another file from now on: room is made for it to grow to its cap (the oldest go).
    if (`${current.day}.${current.part}` !== before)
      capLogs(
        dir,
        {
          maxFiles: limits.maxFiles - 1,
          maxTotalBytes: Math.max(0, limits.maxTotalBytes - maxFileBytes),
        },
        name,
      );
    current.bytes += bytes;
    return join(dir, name);
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
      appendFileSync(fileFor(time.toISOString().slice(0, 10), Buffer.byteLength(text)), text, {
        mode: PRIVATE_FILE,
      });
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
