import { join } from 'node:path';
import { app } from 'electron';
import type { Paths } from '../ports.ts';

export function electronPaths(): Paths {
  return {
    userData: app.getPath('userData'),
    defaultArchiveRoot: join(app.getPath('documents'), 'Sportello', 'Pratiche'),
    temp: app.getPath('temp'),
  };
}
