/**
 * What the services need from the outside world. Electron implements these in main/adapters/;
 * tests and the harness implement them with plain Node (main/adapters/node/ or test fakes).
 */

/** Encrypts secrets with the OS keystore (Electron safeStorage). */
export interface SecretCipher {
  /** The keystore backend, e.g. 'dpapi', 'keychain', 'gnome_libsecret', 'basic_text', 'unavailable'. */
  backend(): Promise<string>;
  /** False when secrets cannot be protected at rest (no keystore, or Linux 'basic_text'). */
  canPersist(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(cipher: Uint8Array): Promise<string>;
}

/** fetch-compatible: Electron's net.fetch in the app (system proxy, OS certificates), fetch in tests. */
export type Http = (url: string, init: RequestInit) => Promise<Response>;

export interface Opener {
  /** Opens a file with the system viewer; resolves to an error text, '' on success. */
  openPath(path: string): Promise<string>;
  showItemInFolder(path: string): void;
}

export interface Notification {
  title: string;
  body: string;
}

export interface Notifier {
  notify(notification: Notification): void;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export interface Paths {
  /** Per-user application data: database, config, drafts, logs. */
  userData: string;
  /** Default archive root when the office has not chosen one. */
  defaultArchiveRoot: string;
  temp: string;
}

/** The subset of electron-store / conf the settings service uses. */
export interface PreferenceStore<T extends Record<string, unknown>> {
  readonly store: T;
  set<K extends keyof T & string>(key: K, value: T[K]): void;
  delete<K extends keyof T & string>(key: K): void;
  readonly path: string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Questions only the clerk can answer, asked by main in the operating system's own dialogs. The
 * page can make main ask, never answer: a compromised page gets no folder and no "yes" from here.
 */
export interface Dialogs {
  /** The system folder picker; the chosen path, or null when the clerk cancels. */
  chooseFolder(request: { title: string; defaultPath?: string | undefined }): Promise<string | null>;
  /** The system file picker (one file, of these types); the chosen path, or null when the clerk cancels. */
  chooseFile(request: {
    title: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  /** A message box with Annulla and `confirm`; true only when the clerk presses `confirm`. */
  confirm(request: { title: string; message: string; detail: string; confirm: string }): Promise<boolean>;
}
