import { describe, expect, it } from 'vitest';
import { screenChunks } from '../../../build/opening-scripts.ts';
import { screens } from '../../../renderer/screens.ts';

const chunk = (fileName: string, facadeModuleId: string | null, imports: string[] = []) => ({
  type: 'chunk',
  fileName,
  facadeModuleId,
  imports,
});

describe('what early.js preloads for the screen the window opens on', () => {
  it("is the screen's chunk and every chunk it imports, less those index.html already loads", () => {
    const bundle = {
      a: chunk('assets/index.js', '/app/renderer/index.html', ['assets/shared.js']),
      b: chunk('assets/RequestsPage.js', '/app/renderer/features/requests/RequestsPage.tsx', [
        'assets/shared.js',
        'assets/Input.js',
      ]),
      c: chunk('assets/Input.js', null, ['assets/Icon.js']),
      d: chunk('assets/Icon.js', null),
      e: chunk('assets/shared.js', null),
      f: { type: 'asset' },
    };
    const map = screenChunks(
      bundle,
      ['features/requests/RequestsPage.tsx', 'features/x/Missing.tsx'],
      new Set(['assets/index.js', 'assets/shared.js']),
    );
    expect(map).toEqual({
      'features/requests/RequestsPage.tsx': ['assets/RequestsPage.js', 'assets/Input.js', 'assets/Icon.js'],
    });
  });

  it('names a module for every screen, each once', () => {
    const modules = screens.map((s) => s.module);
    expect(new Set(modules).size).toBe(modules.length);
    expect(screens.map((s) => s.path)).toContain('/');
  });
});
