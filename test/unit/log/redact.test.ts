import { describe, expect, it } from 'vitest';
import { errorFields, maskCodiceFiscale, redact } from '../../../main/log/redact.ts';
import { createDispatcher } from '../../../main/dispatch.ts';
import { PathGrants } from '../../../main/security/grants.ts';
import { AppError } from '../../../main/errors.ts';
import type { Handlers } from '../../../common/api.ts';
import { memoryLogger } from '../../support/logger.ts';

const CF = 'RSSMRA85T10A562S';

describe('codice fiscale masking', () => {
  it.each([
    [`${CF}_fronte.jpg`, 'RSS************S_fronte.jpg'],
    [`scansione_${CF}.pdf`, 'scansione_RSS************S.pdf'],
    [`carta.${CF}.retro.png`, 'carta.RSS************S.retro.png'],
    [`Rossi Mario – ${CF}/esito.pdf`, 'Rossi Mario – RSS************S/esito.pdf'],
    [`cf=${CF.toLowerCase()}`, 'cf=rss************s'],
    [`"${CF}"`, '"RSS************S"'],
    // Omocodia: digits replaced by letters.
    ['RSSMRA85T1LA562S_x', 'RSS************S_x'],
  ])('masks %s', (text, masked) => {
    expect(maskCodiceFiscale(text)).toBe(masked);
  });

  it('leaves longer codes alone, where a CF is not a whole word', () => {
    expect(maskCodiceFiscale(`X${CF}`)).toBe(`X${CF}`);
    expect(maskCodiceFiscale(`${CF}9`)).toBe(`${CF}9`);
  });

  it('masks inside every field the logger writes', () => {
    expect(redact({ file: `${CF}_fronte.jpg`, nested: [`a_${CF}`] })).toEqual({
      file: 'RSS************S_fronte.jpg',
      nested: ['a_RSS************S'],
    });
  });
});

describe('what a failure leaves in the log', () => {
  it('is its kind, its codes and where it happened, never its message', () => {
    const error = Object.assign(new Error(`ENOENT: open '/Archivio/Rossi Mario – ${CF}/esito.pdf'`), {
      code: 'ENOENT',
      errno: -2,
      syscall: 'open',
    });
    const fields = errorFields(error);
    expect(fields).toMatchObject({ error: 'Error', code: 'ENOENT', errno: -2, syscall: 'open' });
    expect(JSON.stringify(fields)).not.toMatch(/Rossi|Mario|RSSMRA/);
    expect((fields.at as string[])[0]).toMatch(/^at /);
  });

  it('the dispatcher logs a failed call by code, without the message built from the client’s data', async () => {
    const log = memoryLogger();
    const handlers = {
      'drafts.get': async () => {
        throw new AppError('validation_failed', `Il codice fiscale di Rossi Mario (${CF}) non è valido`, {
          details: { status: 422, apiCode: 250, reason: 'bad_cf', fields: { $4: { message: 'Rossi' } } },
        });
      },
      'drafts.list': async () => {
        throw new TypeError(`impossibile leggere ${CF} di Rossi Mario`);
      },
    } as unknown as Handlers;
    const dispatch = createDispatcher(handlers, log, new PathGrants());
    await dispatch('drafts.get', ['0b0e6a52-6d4b-4a52-9a0f-64f1d54d7c3e']);
    await dispatch('drafts.list', []);
    expect(log.lines[0]).toEqual({
      level: 'warn',
      message: 'call failed',
      fields: {
        channel: 'drafts.get',
        code: 'validation_failed',
        status: 422,
        apiCode: 250,
        reason: 'bad_cf',
      },
    });
    expect(log.lines[1]).toMatchObject({
      level: 'error',
      message: 'call crashed',
      fields: { error: 'TypeError' },
    });
    expect(JSON.stringify(log.lines)).not.toMatch(/Rossi|Mario|RSSMRA/);
  });
});
