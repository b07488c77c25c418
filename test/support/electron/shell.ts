import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BridgeApi } from '../../../common/api.ts';
import type * as Double from './double.ts';

/*
 * Runs the real shell (main/index.ts and what it imports, preload/index.ts) under Node, with a Node
 * module hook resolving `electron` to the recording double (double.ts). The files are loaded by
 * Node itself, not by vitest's module runner, exactly as they are in the repository; each boot
 * loads a fresh instance of main/index.ts (its module state is the app's state).
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const DOUBLE_URL = pathToFileURL(join(import.meta.dirname, 'double.ts')).href;
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (
  url: string,
) => Promise<unknown>;

let hooked = false;
let boots = 0;

function hook(): void {
  if (hooked) return;
  registerHooks({
    resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: DOUBLE_URL, format: 'module', shortCircuit: true };
      return next(specifier, context);
    },
  });
  hooked = true;
}

export type ElectronDouble = typeof Double;

/** The double as Node loaded it: the same instance main/index.ts and the preload see. */
export async function electronDouble(): Promise<ElectronDouble> {
  hook();
  return (await nativeImport(DOUBLE_URL)) as ElectronDouble;
}

export interface Shell {
  electron: ElectronDouble;
  world: Double.World;
  userData: string;
  documents: string;
  /** Removes the process listeners main/index.ts added (crash logging) and the shell's folder. */
  dispose(): void;
}

/**
 * A fresh world, then main/index.ts loaded as Electron would load it (before 'ready'). `prepare`
 * runs between the two: set isPackaged, the single-instance lock, the keystore backend, answers,
 * environment variables (restored by `dispose`).
 */
export async function bootMain(prepare: (world: Double.World) => void = () => {}): Promise<Shell> {
  const electron = await electronDouble();
  // Not tempDir(): a shell may outlive one test (booted in beforeAll); `dispose` removes it.
  const root = mkdtempSync(join(tmpdir(), 'sportello-shell-'));
  const userData = join(root, 'userData');
  const documents = join(root, 'Documenti');
  mkdirSync(userData, { recursive: true });
  mkdirSync(documents, { recursive: true });
  const world = electron.resetWorld({ userData, documents, temp: join(root, 'tmp') });
  const env = { ...process.env };
  delete process.env.ELECTRON_RENDERER_URL;
  delete process.env.SPORTELLO_BASE_URL;
  delete process.env.SPORTELLO_UPDATE_URL;
  prepare(world);
  const before = {
    uncaught: process.listeners('uncaughtException'),
    unhandled: process.listeners('unhandledRejection'),
  };
  const dispose = () => {
    for (const listener of process.listeners('uncaughtException'))
      if (!before.uncaught.includes(listener)) process.off('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection'))
      if (!before.unhandled.includes(listener)) process.off('unhandledRejection', listener);
    process.env = env;
    rmSync(root, { recursive: true, force: true });
  };
  await nativeImport(`${pathToFileURL(join(ROOT, 'main', 'index.ts')).href}?boot=${++boots}`);
  return { electron, world, userData, documents, dispose };
}

/** A module of the repository as Node loads it, `electron` being the double (e.g. an adapter). */
export async function loadNative<T>(path: string): Promise<T> {
  await electronDouble();
  return (await nativeImport(pathToFileURL(join(ROOT, path)).href)) as T;
}

/** A package as Node loads it from the repository's node_modules, `electron` being the double. */
export async function loadNativePackage<T>(specifier: string): Promise<T> {
  await electronDouble();
  return (await nativeImport(specifier)) as T;
}

/** preload/index.ts, run for the main window's page: returns what it exposed as `window.api`. */
export async function bootPreload(shell: Shell): Promise<{ api: BridgeApi; platform: unknown }> {
  await nativeImport(`${pathToFileURL(join(ROOT, 'preload', 'index.ts')).href}?boot=${++boots}`);
  return { api: shell.world.exposed.api as BridgeApi, platform: shell.world.exposed.platform };
}

/** Waits for `condition`, polling (the shell's work is asynchronous: IPC, start-up, shutdown). */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
