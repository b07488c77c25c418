import { createInterface } from 'node:readline/promises';
import type { Dialogs } from '../../main/ports.ts';

/**
 * Main's dialogs for a person trying the harness: asked on the terminal that runs it, where the
 * page cannot answer them (as the system dialogs in the app). Without a terminal every question is
 * answered "Annulla".
 */
export function terminalDialogs(): Dialogs {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (question: string): Promise<string> => {
    const answer = queue.then(async () => {
      if (!process.stdin.isTTY) return '';
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return (await rl.question(question)).trim();
      } finally {
        rl.close();
      }
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  return {
    async chooseFolder({ title }) {
      const path = await ask(`\n${title}\nPercorso completo della cartella (vuoto = Annulla): `);
      return path || null;
    },
    async chooseFile({ title }) {
      const path = await ask(`\n${title}\nPercorso completo del file (vuoto = Annulla): `);
      return path || null;
    },
    async confirm({ message, detail, confirm }) {
      const answer = await ask(`\n${message}\n${detail}\n${confirm}? [s/N] `);
      return /^s(i|ì)?$/i.test(answer);
    },
  };
}
