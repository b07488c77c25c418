import { spawn } from 'node:child_process';

/** How a helper program (scanimage, powershell.exe) ended when it did not simply exit. */
export type ToolFailure = 'missing' | 'timeout' | 'aborted';

export class ToolError extends Error {
  readonly failure: ToolFailure;
  readonly stderr: string;

  constructor(failure: ToolFailure, message: string, stderr = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ToolError';
    this.failure = failure;
    this.stderr = stderr;
  }
}

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface ToolOptions {
  /** Written to the program's stdin, which is then closed. */
  input?: string | Uint8Array | undefined;
  /** Kill the program when it has printed nothing for this long (a scan prints progress). */
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Each line (split on \n or \r) of stdout and stderr, as it arrives. */
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
}

/** Keep the tail of stderr only: a chatty backend must not grow memory without bound. */
const STDERR_LIMIT = 64 * 1024;

/**
 * Runs a program with an argument array — never through a shell — and collects its output.
 * Resolves with the exit status whatever it is; rejects only when the program could not start,
 * went silent for too long, or the caller aborted (the process is killed in both cases).
 */
export function runTool(command: string, args: readonly string[], options: ToolOptions): Promise<ToolRun> {
  return new Promise<ToolRun>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ToolError('aborted', `${command}: annullato prima di iniziare`));
      return;
    }
    const child = spawn(command, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      env: options.env,
      cwd: options.cwd,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    const partial = { stdout: '', stderr: '' };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const kill = (failure: ToolFailure, message: string) => {
      child.kill('SIGTERM');
      // A backend stuck in a driver call may ignore SIGTERM.
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      finish(() => reject(new ToolError(failure, message, stderr)));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => kill('timeout', `${command}: nessuna risposta da ${options.idleTimeoutMs} ms`),
        options.idleTimeoutMs,
      );
    };
    const onAbort = () => kill('aborted', `${command}: annullato`);
    const lines = (stream: 'stdout' | 'stderr', text: string) => {
      if (!options.onLine) return;
      const parts = (partial[stream] + text).split(/\r\n|\r|\n/);
      partial[stream] = parts.pop() ?? '';
      for (const line of parts) if (line) options.onLine(line, stream);
    };

    options.signal?.addEventListener('abort', onAbort);
    arm();
    // Both are pipes (stdio above), never null.
    child.stdout!.on('data', (chunk: Buffer) => {
      arm();
      stdout.push(chunk);
      lines('stdout', chunk.toString('utf8'));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      arm();
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-STDERR_LIMIT);
      lines('stderr', text);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const failure = error.code === 'ENOENT' ? 'missing' : 'aborted';
      finish(() => reject(new ToolError(failure, `${command}: ${error.message}`, stderr, { cause: error })));
    });
    child.on('close', (code, signal) => {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] && options.onLine) options.onLine(partial[stream], stream);
      }
      finish(() => resolve({ code, signal, stdout: Buffer.concat(stdout), stderr }));
    });
    if (child.stdin) {
      // A program that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
