import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/*
 * `node build/update-keygen.ts <private-key-file>`: makes the release key pair for signed updates.
 * The private key goes to the file given, which must be outside this repository (keep it offline,
 * or as the CI secret SPORTELLO_UPDATE_SIGNING_KEY); the public key is printed, to pin in the app:
 * commit it as build/update-public-key.pem, or set SPORTELLO_UPDATE_PUBLIC_KEY when building.
 */
const ROOT = resolve(import.meta.dirname, '..');
const target = process.argv[2];
if (!target) {
  process.stderr.write(
    'Uso: node build/update-keygen.ts <file della chiave privata, fuori dal repository>\n',
  );
  process.exit(2);
}
const path = resolve(target);
const fromRoot = relative(ROOT, path);
if (fromRoot === '' || (!fromRoot.startsWith('..') && !isAbsolute(fromRoot))) {
  process.stderr.write(`La chiave privata non va mai nel repository: scegliete un file fuori da ${ROOT}\n`);
  process.exit(2);
}
if (existsSync(path)) {
  process.stderr.write(`${path} esiste già: non lo sovrascrivo\n`);
  process.exit(2);
}
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
process.stdout.write(publicKey.export({ type: 'spki', format: 'pem' }).toString());
