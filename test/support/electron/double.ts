import { EventEmitter } from 'node:events';

/*
 * A recording stand-in for the `electron` module, for running the real main/index.ts, window.ts,
 * ipc.ts, the adapters and preload/index.ts under plain Node. test/support/electron/hooks.ts maps
 * the specifier `electron` here with a Node module hook, so those files import it unchanged.
 *
 * It behaves like Electron where the shell depends on it: `protocol.handle` and the default session
 * only after 'ready', `registerSchemesAsPrivileged` only before; one handler per IPC channel;
 * `app.quit()` runs before-quit → will-quit → quit, each cancellable; arguments and results cross
 * IPC as structured clones. Everything the shell asks is recorded in one `World`, kept on
 * globalThis so that the test (loaded by vitest) and this module (loaded by Node) share it.
 */

export interface Frame {
  url: string;
  parent: Frame | null;
}

export interface DialogCall {
  kind: 'open' | 'message' | 'error';
  options: Record<string, unknown>;
  parent: boolean;
}

export interface World {
  paths: Record<string, string>;
  isPackaged: boolean;
  version: string;
  singleInstance: boolean;
  ready: boolean;
  quitting: 'no' | 'asked' | 'quit';
  exitCode: number | null;
  appUserModelId: string | null;
  app: EventEmitter;
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  session: SessionDouble;
  windows: BrowserWindowDouble[];
  /** ipcMain.handle listeners, by channel. */
  handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  /** ipcMain.on listeners (sendSync), by channel. */
  listeners: Map<
    string,
    ((event: { senderFrame: Frame | null; returnValue: unknown }, ...args: unknown[]) => void)[]
  >;
  /** What the preload's contextBridge exposed, by key. */
  exposed: Record<string, unknown>;
  /** ipcRenderer.on listeners of the page, by channel. */
  rendererListeners: Map<string, ((event: unknown, payload: unknown) => void)[]>;
  /** The paths webUtils.getPathForFile gives for files the "clerk" dropped. */
  filePaths: Map<unknown, string>;
  safeStorage: { available: boolean; backend: string; encrypted: number };
  /** Answers of dialog.showOpenDialog / showMessageBox, in order; none left: the clerk cancels. */
  dialogAnswers: ({ folder: string | null } | { button: number })[];
  dialogs: DialogCall[];
  shell: { opened: string[]; shown: string[]; external: string[] };
  notifications: { title: string; body: string }[];
  powerMonitor: EventEmitter;
  fetched: string[];
  readyWaiters: (() => void)[];
}

const KEY = Symbol.for('sportello.electron-double');

export function world(): World {
  const found = (globalThis as Record<symbol, World | undefined>)[KEY];
  if (!found) throw new Error('electron double: resetWorld() first');
  return found;
}

/** A fresh world: no window, no handler, nothing recorded. */
export function resetWorld(options: { userData: string; documents: string; temp: string }): World {
  const fresh: World = {
    paths: {
      userData: options.userData,
      documents: options.documents,
      temp: options.temp,
      logs: `${options.userData}/logs`,
    },
    isPackaged: false,
    version: '0.1.0',
    singleInstance: true,
    ready: false,
    quitting: 'no',
    exitCode: null,
    appUserModelId: null,
    app: new EventEmitter(),
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    session: new SessionDouble(),
    windows: [],
    handlers: new Map(),
    listeners: new Map(),
    exposed: {},
    rendererListeners: new Map(),
    filePaths: new Map(),
    safeStorage: { available: true, backend: 'gnome_libsecret', encrypted: 0 },
    dialogAnswers: [],
    dialogs: [],
    shell: { opened: [], shown: [], external: [] },
    notifications: [],
    powerMonitor: new EventEmitter(),
    fetched: [],
    readyWaiters: [],
  };
  (globalThis as Record<symbol, World>)[KEY] = fresh;
  return fresh;
}

function mustBeReady(what: string): void {
  if (!world().ready) throw new Error(`${what} cannot be used before the app is ready`);
}

// --- app ----------------------------------------------------------------------------------------

/** A cancellable Electron event: listeners may call preventDefault(). */
function emitCancellable(emitter: EventEmitter, name: string): boolean {
  let prevented = false;
  emitter.emit(name, { preventDefault: () => (prevented = true) });
  return prevented;
}

export const app = {
  get isPackaged() {
    return world().isPackaged;
  },
  getVersion: () => world().version,
  getName: () => 'Sportello',
  getPath(name: string): string {
    const path = world().paths[name];
    if (!path) throw new Error(`electron double: no path '${name}'`);
    return path;
  },
  requestSingleInstanceLock: () => world().singleInstance,
  setAppUserModelId(id: string) {
    world().appUserModelId = id;
  },
  isReady: () => world().ready,
  whenReady(): Promise<void> {
    if (world().ready) return Promise.resolve();
    return new Promise((resolve) => world().readyWaiters.push(resolve));
  },
  on(event: string, listener: (...args: never[]) => void) {
    world().app.on(event, listener as (...args: unknown[]) => void);
    return app;
  },
  once(event: string, listener: (...args: never[]) => void) {
    world().app.once(event, listener as (...args: unknown[]) => void);
    return app;
  },
  /** Like Electron: before-quit, then will-quit, then quit; a prevented step stops there. */
  quit() {
    const w = world();
    w.quitting = 'asked';
    if (emitCancellable(w.app, 'before-quit')) return;
    if (emitCancellable(w.app, 'will-quit')) return;
    // A listener may have quit again meanwhile (the shell's own before-quit does): quit once.
    if ((w.quitting as World['quitting']) === 'quit') return;
    w.quitting = 'quit';
    w.app.emit('quit');
  },
  exit(code = 0) {
    world().exitCode = code;
  },
};

/** The test's hand on the app's life: what Electron's own event loop would do. */
export function emitReady(): void {
  const w = world();
  w.ready = true;
  w.app.emit('ready');
  const waiting = w.readyWaiters.splice(0);
  for (const resolve of waiting) resolve();
}

// --- protocol, session --------------------------------------------------------------------------

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    if (world().ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    world().privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
    mustBeReady('protocol.handle');
    if (world().protocolHandlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    world().protocolHandlers.set(scheme, handler);
  },
};

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  origin: string,
  details: Record<string, unknown>,
) => boolean;

export class SessionDouble extends EventEmitter {
  permissionRequest: PermissionRequestHandler | null = null;
  permissionCheck: PermissionCheckHandler | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler) {
    this.permissionRequest = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler) {
    this.permissionCheck = handler;
  }
}

export const session = {
  get defaultSession(): SessionDouble {
    mustBeReady('session.defaultSession');
    return world().session;
  },
};

// --- windows ------------------------------------------------------------------------------------

export class WebContentsDouble extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  devToolsClosed = 0;
  destroyed = false;
  readonly mainFrame: Frame = { url: '', parent: null };

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }

  /** A push to the page: reaches the preload's ipcRenderer listeners, as a structured clone. */
  send(channel: string, payload: unknown) {
    if (this.destroyed) throw new Error('webContents destroyed');
    this.sent.push({ channel, payload });
    for (const listener of world().rendererListeners.get(channel) ?? [])
      listener({ sender: 'ipcRenderer' }, structuredClone(payload));
  }

  isDestroyed() {
    return this.destroyed;
  }

  closeDevTools() {
    this.devToolsClosed++;
  }

  /** Emits a cancellable webContents event; true when a listener prevented it. */
  attempt(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class BrowserWindowDouble extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents = new WebContentsDouble();
  loaded: string | null = null;
  visible = false;
  minimized = false;
  focused = 0;

  constructor(options: Record<string, unknown>) {
    super();
    mustBeReady('BrowserWindow');
    this.options = options;
    world().windows.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loaded = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  show() {
    this.visible = true;
    this.minimized = false;
  }

  isMinimized() {
    return this.minimized;
  }

  minimize() {
    this.minimized = true;
  }

  restore() {
    this.minimized = false;
  }

  focus() {
    this.focused++;
  }

  close() {
    this.webContents.destroyed = true;
    this.emit('closed');
    world().app.emit('window-all-closed');
  }
}

export const BrowserWindow = BrowserWindowDouble;

// --- IPC ----------------------------------------------------------------------------------------

export const ipcMain = {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) {
    if (world().handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    world().handlers.set(channel, listener);
  },
  removeHandler(channel: string) {
    world().handlers.delete(channel);
  },
  on(channel: string, listener: (event: { senderFrame: Frame | null; returnValue: unknown }) => void) {
    const listeners = world().listeners;
    listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    return ipcMain;
  },
  removeAllListeners(channel: string) {
    world().listeners.delete(channel);
    return ipcMain;
  },
};

/** An `ipcRenderer.invoke` from `frame`: what main's handler answers, cloned both ways. */
export async function invokeFrom(frame: Frame | null, channel: string, ...args: unknown[]): Promise<unknown> {
  const listener = world().handlers.get(channel);
  if (!listener) throw new Error(`No handler registered for '${channel}'`);
  const result = await listener({ senderFrame: frame, sender: null }, ...structuredClone(args));
  return structuredClone(result);
}

/** An `ipcRenderer.sendSync` from `frame`: the listeners' returnValue. */
export function sendSyncFrom(frame: Frame | null, channel: string, ...args: unknown[]): unknown {
  const event = { senderFrame: frame, returnValue: undefined as unknown };
  for (const listener of world().listeners.get(channel) ?? []) listener(event, ...structuredClone(args));
  return structuredClone(event.returnValue);
}

/** The page of the (first) window: the frame the preload's calls come from. */
function pageFrame(): Frame {
  const window = world().windows[0];
  if (!window) throw new Error('electron double: no window, no page');
  return window.webContents.mainFrame;
}

export const ipcRenderer = {
  invoke: (channel: string, ...args: unknown[]) => invokeFrom(pageFrame(), channel, ...args),
  sendSync: (channel: string, ...args: unknown[]) => sendSyncFrom(pageFrame(), channel, ...args),
  on(channel: string, listener: (event: unknown, payload: unknown) => void) {
    const listeners = world().rendererListeners;
    listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void) {
    const listeners = world().rendererListeners;
    listeners.set(
      channel,
      (listeners.get(channel) ?? []).filter((l) => l !== listener),
    );
    return ipcRenderer;
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, value: unknown) {
    if (key in world().exposed) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    world().exposed[key] = value;
  },
};

export const webUtils = {
  getPathForFile: (file: unknown) => world().filePaths.get(file) ?? '',
};

// --- safeStorage --------------------------------------------------------------------------------

const SEAL = 'sealed:';

/** Reversible, but never the plain text: enough to prove what reaches config.json. */
export const safeStorage = {
  isAsyncEncryptionAvailable: () => Promise.resolve(world().safeStorage.available),
  getSelectedStorageBackend: () => world().safeStorage.backend,
  encryptStringAsync(plain: string): Promise<Buffer> {
    if (!world().safeStorage.available) return Promise.reject(new Error('Encryption is not available.'));
    world().safeStorage.encrypted++;
    return Promise.resolve(Buffer.from(SEAL + Buffer.from(plain, 'utf8').reverse().toString('base64')));
  },
  decryptStringAsync(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const text = cipher.toString('utf8');
    if (!text.startsWith(SEAL)) return Promise.reject(new Error('Error while decrypting the ciphertext'));
    const plain = Buffer.from(text.slice(SEAL.length), 'base64').reverse().toString('utf8');
    return Promise.resolve({ result: plain, shouldReEncrypt: false });
  },
};

// --- dialog, shell, notifications, power, net ---------------------------------------------------

function dialogArgs(a: unknown, b: unknown): { parent: boolean; options: Record<string, unknown> } {
  return b === undefined
    ? { parent: false, options: a as Record<string, unknown> }
    : { parent: a instanceof BrowserWindowDouble, options: b as Record<string, unknown> };
}

export const dialog = {
  showErrorBox(title: string, content: string) {
    world().dialogs.push({ kind: 'error', options: { title, content }, parent: false });
  },
  showOpenDialog(a: unknown, b?: unknown): Promise<{ canceled: boolean; filePaths: string[] }> {
    const { parent, options } = dialogArgs(a, b);
    world().dialogs.push({ kind: 'open', options, parent });
    const answer = world().dialogAnswers.shift();
    const folder = answer && 'folder' in answer ? answer.folder : null;
    return Promise.resolve(
      folder ? { canceled: false, filePaths: [folder] } : { canceled: true, filePaths: [] },
    );
  },
  showMessageBox(a: unknown, b?: unknown): Promise<{ response: number; checkboxChecked: boolean }> {
    const { parent, options } = dialogArgs(a, b);
    world().dialogs.push({ kind: 'message', options, parent });
    const answer = world().dialogAnswers.shift();
    // Nobody answers: the dialog is dismissed, which Electron reports as the cancel button.
    const cancel = typeof options.cancelId === 'number' ? options.cancelId : 0;
    const response = answer && 'button' in answer ? answer.button : cancel;
    return Promise.resolve({ response, checkboxChecked: false });
  },
};

export const shell = {
  openPath(path: string): Promise<string> {
    world().shell.opened.push(path);
    return Promise.resolve('');
  },
  showItemInFolder(path: string) {
    world().shell.shown.push(path);
  },
  openExternal(url: string): Promise<void> {
    world().shell.external.push(url);
    return Promise.resolve();
  },
};

export class Notification {
  static isSupported() {
    return true;
  }

  private readonly options: { title: string; body: string };

  constructor(options: { title: string; body: string }) {
    this.options = options;
  }

  show() {
    world().notifications.push({ title: this.options.title, body: this.options.body });
  }
}

export const powerMonitor = {
  on(event: string, listener: (...args: unknown[]) => void) {
    world().powerMonitor.on(event, listener);
    return powerMonitor;
  },
};

export const net = {
  fetch(url: string, init?: RequestInit): Promise<Response> {
    world().fetched.push(url);
    return fetch(url, init);
  },
};

export default {
  app,
  protocol,
  session,
  BrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  webUtils,
  safeStorage,
  dialog,
  shell,
  Notification,
  powerMonitor,
  net,
};
