import type pg from 'pg';
import { describeFailure } from '../../db/postgres/connection.ts';
import { AppError } from '../../errors.ts';

/**
 * A query the office's register could not answer because the server is out of reach (down, the
 * network cut, too many connections) becomes the error the clerk can act on: nothing was recorded,
 * and the counter tries again by itself (pg's pool opens a new connection on the next query).
 * Any other failure stays as it is.
 */
export function unreachable(error: unknown, pool: pg.Pool): unknown {
  if (error instanceof AppError) return error;
  const o = pool.options;
  const where = {
    host: String(o.host ?? ''),
    port: Number(o.port ?? 5432),
    database: String(o.database ?? ''),
    user: String(o.user ?? ''),
  };
  const failure = describeFailure(error, where);
  if (failure.problem !== 'unreachable') return error;
  return new AppError('office_unreachable', `Registro dell’ufficio non raggiungibile: ${failure.message}`, {
    cause: error,
    details: { reason: 'unreachable' },
  });
}
