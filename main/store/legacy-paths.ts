import { sep } from 'node:path';
import { rootKinds, type Roots } from '../files/roots.ts';
import type { Logger } from '../ports.ts';
import type { Register } from './port.ts';

/** Which registers this counter already looked at (kept on this counter: config.json). */
export interface NamedMarker {
  done(registerId: string): boolean;
  mark(registerId: string): void;
}

/**
 * Before the register recorded names, it recorded this counter's absolute paths. Once per register
 * (the office's, or this counter's own file), each counter turns the rows under ITS roots into
 * names under them; whatever lies elsewhere (another counter's folders, an archive folder changed
 * since, a path written by hand) is left as it is, refused where it is used and listed on Home.
 * Returns how many rows were named.
 */
export async function nameLegacyPaths(d: {
  store: Pick<Register, 'paths'>;
  roots: Roots;
  marker: NamedMarker;
  log: Logger;
}): Promise<number> {
  const id = await d.store.paths.identity();
  if (d.marker.done(id)) return 0;
  let named = 0;
  for (const kind of rootKinds) named += await d.store.paths.relativise(kind, d.roots.dir(kind) + sep, sep);
  d.marker.mark(id);
  if (named) d.log.info('recorded paths named under this counter’s roots', { rows: named });
  return named;
}
