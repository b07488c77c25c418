import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
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
}

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
    const workflow = load(readFileSync(WORKFLOW, 'utf8')) as {
      jobs: { build: { strategy: { matrix: { os: string[] } }; steps: Step[] } };
    };
    const { strategy, steps } = workflow.jobs.build;
    expect(strategy.matrix.os.sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
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
    expect(runs).toContain('node build/sign-update.ts');
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
