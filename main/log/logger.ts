import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../ports.ts';
import { redact, redactText } from './redact.ts';

type Level = 'info' | 'warn' | 'error';

/**
 * JSON lines under `logs/`, one file a day, written synchronously so the last line before a
 * crash is on disk. Every message and field passes through redaction.
 */
export function createFileLogger(dir: string, options: { echo?: boolean; now?: () => Date } = {}): Logger {
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const time = now();
    const line = JSON.stringify({
      t: time.toISOString(),
      level,
      msg: redactText(message),
      ...(fields ? (redact(fields) as Record<string, unknown>) : {}),
    });
    try {
      appendFileSync(join(dir, `sportello-${time.toISOString().slice(0, 10)}.log`), `${line}\n`);
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
