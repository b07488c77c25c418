import type { Dialogs } from '../../ports.ts';

export type DialogAnswer = { folder: string | null } | { file: string | null } | { confirm: boolean };

export interface AskedDialog {
  kind: 'folder' | 'file' | 'confirm';
  title: string;
  message?: string;
  detail?: string;
}

/**
 * The Dialogs port where there is no operating-system dialog (tests, the browser harness): answers
 * queued by the test, in order, beside the page and out of its reach. With nothing queued the
 * clerk "cancels": no folder, no confirmation.
 */
export class ScriptedDialogs implements Dialogs {
  readonly asked: AskedDialog[] = [];
  private readonly answers: DialogAnswer[] = [];
  private confirmingAll = false;

  /**
   * A clerk who confirms every question from now on (tests about something else than the
   * confirmations themselves: credentials, the wallet). Queued answers still come first.
   */
  confirmEverything(): this {
    this.confirmingAll = true;
    return this;
  }

  /** Queues the next answer(s). */
  answer(...answers: DialogAnswer[]): this {
    this.answers.push(...answers);
    return this;
  }

  /** Answers still queued: a test checks that each question it expected was asked. */
  pending(): number {
    return this.answers.length;
  }

  async chooseFolder({ title }: { title: string }): Promise<string | null> {
    this.asked.push({ kind: 'folder', title });
    const next = this.answers[0];
    if (next && 'folder' in next) {
      this.answers.shift();
      return next.folder;
    }
    return null;
  }

  async chooseFile({ title }: { title: string }): Promise<string | null> {
    this.asked.push({ kind: 'file', title });
    const next = this.answers[0];
    if (next && 'file' in next) {
      this.answers.shift();
      return next.file;
    }
    return null;
  }

  async confirm(request: { title: string; message: string; detail: string }): Promise<boolean> {
    this.asked.push({ kind: 'confirm', ...request });
    const next = this.answers[0];
    if (next && 'confirm' in next) {
      this.answers.shift();
      return next.confirm;
    }
    return this.confirmingAll;
  }
}
