import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  listTarget,
  MAX_VALID_DAYS,
  signatureFile,
  statementLine,
  type UpdateStatement,
} from '../main/update/statement.ts';

/*
 * `node build/sign-update.ts [--valid-days N] <release folder>`: the release step that makes
 * updates trustworthy. For each update list electron-builder wrote (latest.yml, latest-mac.yml,
 * latest-linux.yml, latest-linux-arm64.yml…) it signs, with the release's Ed25519 private key, a
 * statement naming the file and its sha512, the version, the channel and platform the name says,
 * and an expiry N days away (default 30, at most 90: main/update/statement.ts), and writes it with
 * its signature beside the list as `<file>.sig`. Upload both with the installers, and sign again
 * (the same lists) before the expiry when no release comes sooner: the app refuses an expired list.
 * The key comes from SPORTELLO_UPDATE_SIGNING_KEY: the PEM itself (a CI secret) or the path of its
 * file. Node's own modules only: the release's signing job installs nothing from the registry.
 */
const { values, positionals } = parseArgs({
  options: { 'valid-days': { type: 'string', default: '30' } },
  allowPositionals: true,
});
const folder = positionals[0];
const secret = process.env.SPORTELLO_UPDATE_SIGNING_KEY?.trim();
if (!folder || !secret || positionals.length > 1) {
  process.stderr.write(
    'Uso: SPORTELLO_UPDATE_SIGNING_KEY=<pem o file> node build/sign-update.ts [--valid-days N] <cartella release>\n',
  );
  process.exit(2);
}
const days = Number(values['valid-days']);
if (!Number.isInteger(days) || days < 1 || days > MAX_VALID_DAYS) {
  process.stderr.write(`--valid-days va da 1 a ${MAX_VALID_DAYS} giorni\n`);
  process.exit(2);
}
const pem = secret.startsWith('-----BEGIN') ? secret : readFileSync(secret, 'utf8');
const key = createPrivateKey(pem);
if (key.asymmetricKeyType !== 'ed25519') {
  process.stderr.write('La chiave di firma deve essere Ed25519 (node build/update-keygen.ts)\n');
  process.exit(2);
}
const files = existsSync(folder)
  ? readdirSync(folder).filter((f) => /^latest(-[a-z0-9]+)*\.yml$/.test(f))
  : [];
if (!files.length) {
  process.stderr.write(`Nessun latest*.yml in ${folder}: eseguite prima electron-builder con un feed\n`);
  process.exit(1);
}
const expires = new Date(Date.now() + days * 86_400_000).toISOString();
for (const file of files) {
  const target = listTarget(file);
  const bytes = readFileSync(join(folder, file));
  const version = /^version:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(bytes.toString('utf8'))?.[1];
  if (!target || !version) {
    process.stderr.write(`${file}: nome o versione non riconosciuti, non firmato\n`);
    process.exit(1);
  }
  const statement: UpdateStatement = {
    v: 2,
    file,
    sha512: createHash('sha512').update(bytes).digest('base64'),
    version,
    ...target,
    expires,
  };
  const line = statementLine(statement);
  const signature = sign(null, Buffer.from(line, 'utf8'), key).toString('base64');
  writeFileSync(join(folder, `${file}.sig`), signatureFile(line, signature));
  process.stdout.write(
    `firmato ${file}: ${version}, ${target.channel}, ${target.platform}${target.arch ? ` ${target.arch}` : ''}, valido fino al ${expires}\n`,
  );
}
