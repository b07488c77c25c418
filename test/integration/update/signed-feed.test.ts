import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type * as UpdaterAdapter from '../../../main/adapters/updater.ts';
import {
  pinnedKey,
  UpdateRefused,
  verifyInstaller,
  verifyUpdateMetadata,
  type VerifiedUpdate,
} from '../../../main/update/signed-feed.ts';
import { signatureFile, statementLine, type UpdateStatement } from '../../../main/update/statement.ts';
import { loadNative, loadNativePackage } from '../../support/electron/shell.ts';
import { tempDir } from '../../support/tmp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** A release key pair made by the project's own script: private key in a file, public key printed. */
function keygen(): { privateFile: string; publicPem: string } {
  const privateFile = join(tempDir(), 'sportello-release.pem');
  const publicPem = execFileSync(process.execPath, [join(ROOT, 'build', 'update-keygen.ts'), privateFile], {
    encoding: 'utf8',
  });
  return { privateFile, publicPem };
}

/** electron-builder's latest.yml for an installer with these bytes. */
function metadata(version: string, installer: Buffer, name = `Sportello-Setup-${version}.exe`): string {
  const sha512 = createHash('sha512').update(installer).digest('base64');
  return `version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-03-02T10:00:00.000Z'\n`;
}

/** A release folder signed by build/sign-update.ts, as the release step leaves it. */
function signedRelease(
  version: string,
  privateFile: string,
  installer = Buffer.from(`installer ${version}`),
  options: { lists?: string[]; args?: string[] } = {},
) {
  const dir = tempDir();
  for (const list of options.lists ?? ['latest.yml'])
    writeFileSync(join(dir, list), metadata(version, installer));
  writeFileSync(join(dir, `Sportello-Setup-${version}.exe`), installer);
  const out = execFileSync(
    process.execPath,
    [join(ROOT, 'build', 'sign-update.ts'), ...(options.args ?? []), dir],
    { encoding: 'utf8', env: { ...process.env, SPORTELLO_UPDATE_SIGNING_KEY: privateFile } },
  );
  for (const list of options.lists ?? ['latest.yml']) expect(out).toContain(`firmato ${list}: ${version}`);
  return dir;
}

const DAY = 86_400_000;

/** A `.sig` as the release step writes it, for `yml` as the list `file`, with `over` changed. */
function signed(
  privateKey: Parameters<typeof sign>[2],
  yml: Buffer,
  over: Partial<UpdateStatement> = {},
): string {
  const statement: UpdateStatement = {
    v: 2,
    file: 'latest.yml',
    sha512: createHash('sha512').update(yml).digest('base64'),
    version: '0.2.0',
    channel: 'latest',
    platform: 'win32',
    arch: null,
    expires: new Date(Date.now() + 30 * DAY).toISOString(),
    ...over,
  };
  const line = statementLine(statement);
  return signatureFile(line, sign(null, Buffer.from(line), privateKey).toString('base64'));
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UpdateRefused);
    return (error as UpdateRefused).reason;
  }
  throw new Error('not refused');
};

describe('the release step and the app agree', () => {
  it('an update signed by build/sign-update.ts verifies against the pinned public key', () => {
    const { privateFile, publicPem } = keygen();
    const dir = signedRelease('0.2.0', privateFile);
    const update = verifyUpdateMetadata({
      metadata: readFileSync(join(dir, 'latest.yml')),
      signature: readFileSync(join(dir, 'latest.yml.sig'), 'utf8'),
      key: pinnedKey(publicPem),
      currentVersion: '0.1.0',
      file: 'latest.yml',
      now: Date.now(),
    });
    expect(update).toMatchObject({ version: '0.2.0', path: 'Sportello-Setup-0.2.0.exe' });
  });

  it('what the signer signs names the list, its version, channel, platform and an expiry', () => {
    const { privateFile, publicPem } = keygen();
    const lists = ['latest.yml', 'latest-mac.yml', 'latest-linux.yml', 'latest-linux-arm64.yml'];
    const before = Date.now();
    const dir = signedRelease('0.2.0', privateFile, undefined, { lists, args: ['--valid-days', '7'] });
    const statements = lists.map(
      (list) => JSON.parse(readFileSync(join(dir, `${list}.sig`), 'utf8').split('\n')[0]!) as UpdateStatement,
    );
    expect(
      statements.map(({ file, version, channel, platform, arch }) => [
        file,
        version,
        channel,
        platform,
        arch,
      ]),
    ).toEqual([
      ['latest.yml', '0.2.0', 'latest', 'win32', null],
      ['latest-mac.yml', '0.2.0', 'latest', 'darwin', null],
      ['latest-linux.yml', '0.2.0', 'latest', 'linux', 'x64'],
      ['latest-linux-arm64.yml', '0.2.0', 'latest', 'linux', 'arm64'],
    ]);
    for (const s of statements) {
      expect(Date.parse(s.expires) - before).toBeGreaterThanOrEqual(7 * DAY);
      expect(Date.parse(s.expires) - Date.now()).toBeLessThanOrEqual(7 * DAY);
    }
    // Each list verifies as itself, on its own platform, and is refused as another one.
    const mac = {
      metadata: readFileSync(join(dir, 'latest-mac.yml')),
      signature: readFileSync(join(dir, 'latest-mac.yml.sig'), 'utf8'),
      key: pinnedKey(publicPem),
      currentVersion: '0.1.0',
      now: Date.now(),
    };
    expect(verifyUpdateMetadata({ ...mac, file: 'latest-mac.yml' })).toMatchObject({ version: '0.2.0' });
    expect(refusal(() => verifyUpdateMetadata({ ...mac, file: 'latest.yml' }))).toBe('foreign');
  });

  it('the signer refuses an expiry beyond 90 days', () => {
    const { privateFile } = keygen();
    const dir = tempDir();
    writeFileSync(join(dir, 'latest.yml'), metadata('0.2.0', Buffer.from('x')));
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'build', 'sign-update.ts'), '--valid-days', '365', dir],
      {
        encoding: 'utf8',
        env: { ...process.env, SPORTELLO_UPDATE_SIGNING_KEY: privateFile },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/da 1 a 90 giorni/);
  });

  it('the key generator refuses to write the private key inside the repository', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'build', 'update-keygen.ts'), join(ROOT, 'chiave.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/mai nel repository/);
  });

  it('the signer says what is missing without a key', () => {
    const env = { ...process.env };
    delete env.SPORTELLO_UPDATE_SIGNING_KEY;
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'sign-update.ts'), tempDir()], {
      encoding: 'utf8',
      env,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SPORTELLO_UPDATE_SIGNING_KEY/);
  });
});

describe('an update is refused', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = pinnedKey(publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  const yml = Buffer.from(metadata('0.2.0', Buffer.from('x')));
  const signature = signed(privateKey, yml);
  const check = (over: Partial<Parameters<typeof verifyUpdateMetadata>[0]>) => () =>
    verifyUpdateMetadata({
      metadata: yml,
      signature,
      key,
      currentVersion: '0.1.0',
      file: 'latest.yml',
      now: Date.now(),
      ...over,
    });

  it('when it verifies, otherwise accepted', () => {
    expect(check({})()).toMatchObject({ version: '0.2.0' });
  });

  it('without a signature', () => {
    expect(refusal(check({ signature: null }))).toBe('no_signature');
    expect(refusal(check({ signature: '' }))).toBe('no_signature');
  });

  it('when one byte of the metadata changed (another installer hash, another URL)', () => {
    const tampered = Buffer.from(yml);
    const at = tampered.indexOf('sha512: ') + 9;
    tampered[at] = tampered[at]! ^ 1;
    expect(refusal(check({ metadata: tampered }))).toBe('bad_signature');
  });

  it('when signed by another key', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(refusal(check({ signature: signed(other, yml) }))).toBe('bad_signature');
  });

  it('when one character of the statement changed after signing (a later expiry, say)', () => {
    const [line, sig] = signature.split('\n');
    const later = line!.replace(/"expires":"\d{4}/, '"expires":"2099');
    expect(later).not.toBe(line);
    expect(refusal(check({ signature: `${later}\n${sig}\n` }))).toBe('bad_signature');
  });

  it('when its list has expired: a feed frozen by a mirror or an attacker', () => {
    const expires = Date.now() + 30 * DAY;
    const frozen = signed(privateKey, yml, { expires: new Date(expires).toISOString() });
    expect(check({ signature: frozen, now: expires - 1 })()).toMatchObject({ version: '0.2.0' });
    expect(refusal(check({ signature: frozen, now: expires }))).toBe('expired');
    expect(refusal(check({ signature: frozen, now: expires + 60 * DAY }))).toBe('expired');
  });

  it('when signed for another platform, CPU, channel or list than the one asked for', () => {
    const as = (over: Partial<UpdateStatement>, file = 'latest.yml') =>
      refusal(check({ signature: signed(privateKey, yml, over), file }));
    expect(as({ file: 'latest-mac.yml', platform: 'darwin' })).toBe('foreign');
    expect(as({ platform: 'linux' })).toBe('foreign');
    expect(as({ file: 'beta.yml', channel: 'beta' })).toBe('foreign');
    expect(as({ channel: 'beta' })).toBe('foreign');
    // The Linux x64 list replayed to an arm64 PC (and back).
    expect(as({ file: 'latest-linux.yml', platform: 'linux', arch: 'x64' }, 'latest-linux-arm64.yml')).toBe(
      'foreign',
    );
    expect(as({ file: 'latest-linux.yml', platform: 'linux', arch: 'arm64' }, 'latest-linux.yml')).toBe(
      'foreign',
    );
    const linux = signed(privateKey, yml, { file: 'latest-linux.yml', platform: 'linux', arch: 'x64' });
    expect(check({ signature: linux, file: 'latest-linux.yml' })()).toMatchObject({ version: '0.2.0' });
  });

  it('when the statement names another version than the list offers', () => {
    expect(refusal(check({ signature: signed(privateKey, yml, { version: '0.3.0' }) }))).toBe(
      'bad_statement',
    );
  });

  it('with a bare signature of the list, as an older release step made it: it says neither where nor until when', () => {
    expect(refusal(check({ signature: sign(null, yml, privateKey).toString('base64') }))).toBe(
      'bad_statement',
    );
  });

  it('when it is not newer: a downgrade, or the same version again', () => {
    expect(refusal(check({ currentVersion: '0.3.0' }))).toBe('downgrade');
    expect(refusal(check({ currentVersion: '0.2.0' }))).toBe('downgrade');
  });

  it('when no key, or not an Ed25519 key, is pinned', () => {
    expect(refusal(() => pinnedKey(''))).toBe('no_key');
    expect(refusal(() => pinnedKey('bm9uIMOoIHVuYSBjaGlhdmU='))).toBe('bad_key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(refusal(() => pinnedKey(rsa.toString()))).toBe('bad_key');
  });

  it('when the downloaded installer is not the one the signed metadata names', async () => {
    const installer = Buffer.from('il vero installatore');
    const update = {
      version: '0.2.0',
      files: [{ url: 'a.exe', sha512: createHash('sha512').update(installer).digest('base64') }],
    };
    const dir = tempDir();
    writeFileSync(join(dir, 'good.exe'), installer);
    writeFileSync(join(dir, 'evil.exe'), 'un altro programma');
    await expect(verifyInstaller(join(dir, 'good.exe'), update)).resolves.toBeUndefined();
    await expect(verifyInstaller(join(dir, 'evil.exe'), update)).rejects.toMatchObject({
      reason: 'bad_hash',
    });
  });
});

describe('the feed', () => {
  const builtIn = (url: string) => `provider: generic\nurl: ${url}\nchannel: latest\n`;
  const packaged = {
    isPackaged: true,
    builtInConfig: builtIn('https://agg.example.it/sportello'),
    pinnedKey: 'KEY',
  };

  it('is the one the installer was built with, in a packaged build with a pinned key', async () => {
    const { updateFeed } = await import('../../../main/adapters/updater.ts');
    expect(updateFeed(packaged)).toEqual({ kind: 'url', url: 'https://agg.example.it/sportello' });
  });

  it('ignores SPORTELLO_UPDATE_URL on the PC', async () => {
    const { updateFeed } = await import('../../../main/adapters/updater.ts');
    process.env.SPORTELLO_UPDATE_URL = 'https://attaccante.example/';
    try {
      expect(updateFeed(packaged)).toEqual({ kind: 'url', url: 'https://agg.example.it/sportello' });
      expect(updateFeed({ ...packaged, builtInConfig: null })).toMatchObject({ kind: 'off' });
    } finally {
      delete process.env.SPORTELLO_UPDATE_URL;
    }
  });

  it('is off without a pinned key, in development, when built off, or not https', async () => {
    const { updateFeed } = await import('../../../main/adapters/updater.ts');
    expect(updateFeed({ ...packaged, pinnedKey: '' })).toMatchObject({
      kind: 'off',
      reason: /chiave di firma/,
    });
    expect(updateFeed({ ...packaged, isPackaged: false })).toMatchObject({ kind: 'off' });
    expect(updateFeed({ ...packaged, builtInConfig: builtIn('off') })).toMatchObject({ kind: 'off' });
    expect(updateFeed({ ...packaged, builtInConfig: builtIn('http://agg.example.it/') })).toMatchObject({
      kind: 'off',
    });
    expect(updateFeed({ ...packaged, builtInConfig: builtIn('file:///srv/agg') })).toMatchObject({
      kind: 'off',
    });
  });
});

describe('electron-updater with the signed provider, over HTTP', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(null));
    server = null;
  });

  async function feed(dir: string): Promise<string> {
    server = createServer((req, res) => {
      let body: Buffer;
      try {
        body = readFileSync(join(dir, new URL(req.url ?? '/', 'http://x').pathname.slice(1)));
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  async function provider(
    url: string,
    publicPem: string,
    verified: VerifiedUpdate[],
    runtime: { platform?: 'win32' | 'darwin' | 'linux'; now?: number } = {},
  ) {
    const { signedProviderClass } = await loadNative<typeof UpdaterAdapter>('main/adapters/updater.ts');
    const updater = await loadNativePackage<{ default: Parameters<typeof signedProviderClass>[0] }>(
      'electron-updater',
    );
    const providerModule = await loadNativePackage<Parameters<typeof signedProviderClass>[1]>(
      'electron-updater/out/providers/Provider.js',
    );
    const { NodeHttpExecutor } = await loadNativePackage<{ NodeHttpExecutor: new () => unknown }>(
      'builder-util/out/nodeHttpExecutor.js',
    );
    const Signed = signedProviderClass(updater.default, providerModule, {
      key: pinnedKey(publicPem),
      currentVersion: '0.1.0',
      verified: (u) => verified.push(u),
      now: () => runtime.now ?? Date.now(),
    });
    return new Signed({ url }, null, {
      executor: new NodeHttpExecutor() as never,
      platform: runtime.platform ?? 'win32',
      isUseMultipleRangeRequest: true,
    });
  }

  it('takes a signed feed and resolves its installer', async () => {
    const { privateFile, publicPem } = keygen();
    const url = await feed(signedRelease('0.2.0', privateFile));
    const verified: VerifiedUpdate[] = [];
    const signed = await provider(url, publicPem, verified);
    const info = await signed.getLatestVersion();
    expect(info.version).toBe('0.2.0');
    expect(verified).toHaveLength(1);
    expect(signed.resolveFiles(info)[0]!.url.href).toBe(`${url}Sportello-Setup-0.2.0.exe`);
  });

  it('refuses a feed whose latest.yml was replaced after signing', async () => {
    const { privateFile, publicPem } = keygen();
    const dir = signedRelease('0.2.0', privateFile);
    writeFileSync(join(dir, 'latest.yml'), metadata('0.2.0', Buffer.from('un altro installatore')));
    const verified: VerifiedUpdate[] = [];
    const signed = await provider(await feed(dir), publicPem, verified);
    await expect(signed.getLatestVersion()).rejects.toMatchObject({ reason: 'bad_signature' });
    expect(verified).toEqual([]);
  });

  it('refuses a feed once its signed lists expired, and takes it again re-signed', async () => {
    const { privateFile, publicPem } = keygen();
    const dir = signedRelease('0.2.0', privateFile, undefined, { args: ['--valid-days', '1'] });
    const url = await feed(dir);
    const stale = await provider(url, publicPem, [], { now: Date.now() + 2 * DAY });
    await expect(stale.getLatestVersion()).rejects.toMatchObject({ reason: 'expired' });
    execFileSync(process.execPath, [join(ROOT, 'build', 'sign-update.ts'), '--valid-days', '30', dir], {
      env: { ...process.env, SPORTELLO_UPDATE_SIGNING_KEY: privateFile },
    });
    const fresh = await provider(url, publicPem, [], { now: Date.now() + 2 * DAY });
    expect((await fresh.getLatestVersion()).version).toBe('0.2.0');
  });

  it('refuses the Windows list served as the Mac one', async () => {
    const { privateFile, publicPem } = keygen();
    const dir = signedRelease('0.2.0', privateFile);
    writeFileSync(join(dir, 'latest-mac.yml'), readFileSync(join(dir, 'latest.yml')));
    writeFileSync(join(dir, 'latest-mac.yml.sig'), readFileSync(join(dir, 'latest.yml.sig')));
    const mac = await provider(await feed(dir), publicPem, [], { platform: 'darwin' });
    await expect(mac.getLatestVersion()).rejects.toMatchObject({ reason: 'foreign' });
  });

  it('refuses a feed without signatures', async () => {
    const { publicPem } = keygen();
    const unsigned = tempDir();
    writeFileSync(join(unsigned, 'latest.yml'), metadata('0.2.0', Buffer.from('x')));
    const signed = await provider(await feed(unsigned), publicPem, []);
    await expect(signed.getLatestVersion()).rejects.toMatchObject({ reason: 'no_signature' });
  });
});
