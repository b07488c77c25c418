import type { Logger } from './ports.ts';
import { errorFields } from './log/redact.ts';

interface Part {
  name: string;
  start?: () => Promise<void> | void;
  close?: () => Promise<void> | void;
}

/**
 * The order the app's parts start and stop in, kept in one place: they start in the order they
 * were added and close in the reverse one, so nothing closes under a part still using it (the
 * database last). A part that fails to close does not keep the others from closing.
 */
export class Disposables {
  private readonly parts: Part[] = [];
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  add(part: Part): void {
    this.parts.push(part);
  }

  async start(): Promise<void> {
    for (const part of this.parts) await part.start?.();
  }

  async close(): Promise<void> {
    for (const part of [...this.parts].reverse()) {
      try {
        await part.close?.();
      } catch (error) {
        this.log.error('close failed', { part: part.name, ...errorFields(error) });
      }
    }
  }
}
