import { join } from 'node:path';
import type { AppPorts } from '../../core.ts';
import type { Logger } from '../../ports.ts';
import { systemClock } from '../system-clock.ts';
import { AesCipher } from './aes-cipher.ts';
import { confPreferences } from './conf-preferences.ts';
import { RecordingNotifier, RecordingOpener } from './recording-ports.ts';
import { ScriptedDialogs } from './scripted-dialogs.ts';

export interface NodePorts extends AppPorts {
  opener: RecordingOpener;
  notifier: RecordingNotifier;
  dialogs: ScriptedDialogs;
}

/** Every port on plain Node, rooted at one directory: what tests and the harness run the app on. */
export function nodePorts(root: string, options: { log: Logger; cipher?: AesCipher }): NodePorts {
  const userData = join(root, 'userData');
  return {
    cipher: options.cipher ?? new AesCipher(),
    http: (url, init) => fetch(url, init),
    opener: new RecordingOpener(),
    notifier: new RecordingNotifier(),
    clock: systemClock,
    paths: { userData, defaultArchiveRoot: join(root, 'Archivio'), temp: join(root, 'tmp') },
    preferences: confPreferences(userData),
    dialogs: new ScriptedDialogs(),
    log: options.log,
  };
}
