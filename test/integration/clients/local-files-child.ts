/*
 * The move of a counter's documents of before into the register (clients/local-files.ts) in a
 * process of its own, for local-files.test.ts to see killed with SIGKILL in the middle of it: it
 * kills itself right after the `n`-th document went into the register, before its file is deleted
 * (the worst moment). Usage: node local-files-child.ts <root> <keystore key, hex> <n>
 */
import { join } from 'node:path';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import { confPreferences } from '../../../main/adapters/node/conf-preferences.ts';
import { CounterKey } from '../../../main/clients/counter-key.ts';
import { Keyring } from '../../../main/clients/keyring.ts';
import { LocalFiles } from '../../../main/clients/local-files.ts';
import { openDatabase } from '../../../main/db/database.ts';
import { SqliteRegister } from '../../../main/store/sqlite-register.ts';

const [root, keyHex, after] = process.argv.slice(2);
if (!root || !keyHex || !after) throw new Error('usage: local-files-child.ts <root> <key hex> <n>');
const userData = join(root, 'userData');
const store = new SqliteRegister(openDatabase(join(userData, 'pratiche.sqlite')), Date.now);
const preferences = confPreferences(userData);
const cipher = new AesCipher({ key: Buffer.from(keyHex, 'hex') });
const log = { info: () => {}, warn: () => {}, error: () => {} };
const counterId = preferences.store.counterId;
if (!counterId) throw new Error('no counter id in config.json');
const counterKey = new CounterKey({
  preferences,
  cipher,
  keys: store.keys,
  counterId,
  counterName: () => 'Ufficio-1',
  now: Date.now,
  log,
});
const keyring = new Keyring({ keys: store.keys, counterKey, counterId, now: Date.now, log });
let moved = 0;
await new LocalFiles({
  store,
  keyring,
  cipher,
  dir: join(userData, 'clienti'),
  legacyKeys: async () => {
    const wrapped = await store.clients.sealingKey();
    return wrapped ? [wrapped] : [];
  },
  now: Date.now,
  log,
  onMoved: () => {
    process.stdout.write('moved\n');
    if (++moved === Number(after)) process.kill(process.pid, 'SIGKILL');
  },
}).moveIn();
process.stdout.write('done\n');
