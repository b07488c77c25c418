import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * `node build/sign-update.ts <release folder>`: the release step that makes updates trustworthy.
 * Signs each update metadata file electron-builder wrote (latest.yml, latest-linux.yml,
 * latest-mac.yml) with the release's Ed25519 private key and writes the detached signature, base64,
 * beside it as `<file>.sig`. Upload both with the installers. The key comes from
 * SPORTELLO_UPDATE_SIGNING_KEY: the PEM itself (a CI secret) or the path of its file.
 */
const folder = process.argv[2];
const secret = process.env.SPORTELLO_UPDATE_SIGNING_KEY?.trim();
if (!folder || !secret) {
  process.stderr.write(
    'Uso: SPORTELLO_UPDATE_SIGNING_KEY=<pem o file> node build/sign-update.ts <cartella release>\n',
  );
  process.exit(2);
}
const pem = secret.startsWith('-----BEGIN') ? secret : readFileSync(secret, 'utf8');
const key = createPrivateKey(pem);
if (key.asymmetricKeyType !== 'ed25519') {
  process.stderr.write('La chiave di firma deve essere Ed25519 (node build/update-keygen.ts)\n');
  process.exit(2);
}
const files = existsSync(folder)
  ? readdirSync(folder).filter((f) => /^latest(-[a-z0-9]+)?\.yml$/.test(f))
  : [];
if (!files.length) {
  process.stderr.write(`Nessun latest*.yml in ${folder}: eseguite prima electron-builder con un feed\n`);
  process.exit(1);
}
for (const file of files) {
  const signature = sign(null, readFileSync(join(folder, file)), key).toString('base64');
  writeFileSync(join(folder, `${file}.sig`), `${signature}\n`);
  process.stdout.write(`firmato ${file}\n`);
}
