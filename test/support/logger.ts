import type { Logger } from '../../main/ports.ts';

export interface MemoryLogger extends Logger {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
}

/** Keeps log lines in memory so a test can read what would have been written. */
export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(fields ? { level, message, fields } : { level, message });
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
