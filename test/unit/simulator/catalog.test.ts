import { describe, expect, it } from 'vitest';
import { parseValidazione, referencedFields } from '../../../common/validazione.ts';
import { serviceDetailWireSchema, serviceListSchema } from '../../../main/engine/visengine/schemas.ts';
import {
  CATALOG_LIST,
  SERVICE_DETAILS,
  b64,
  detailFor,
  type SimService,
  type SimServiceEntry,
} from '../../../main/simulator/catalog.ts';

const CONGEDO = '8a7c8386fff43d28182cfa2ad24a3532';
const RISCATTO = '0d9ada4b11f4493674559264d6879948';
const CAMERALE_SPEC = 'eccbc87e4b5ce2fe28308fd9f2a7baf3';

// Written out independently of the catalog module, so a typo there cannot hide here.
function isValidPartitaIva(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let n = Number(s[i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return (10 - (sum % 10)) % 10 === Number(s[10]);
}

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

type Issue = { path?: PropertyKey[]; message?: string; errors?: Issue[][] };

/** The deepest leaf under zod's nested union errors, with its full path: "json_struttura.campi.$0.ordine: …". */
function innermostIssue(issues: readonly Issue[], prefix: PropertyKey[] = []): string {
  let best = { depth: -1, text: '' };
  const walk = (list: readonly Issue[], at: PropertyKey[]): void => {
    for (const issue of list) {
      const here = [...at, ...(issue.path ?? [])];
      if (issue.errors?.length) issue.errors.forEach((branch) => walk(branch, here));
      else if (here.length > best.depth)
        best = { depth: here.length, text: `${here.map(String).join('.')}: ${issue.message ?? ''}` };
    }
  };
  walk(issues, prefix);
  return best.text;
}

function expectWellFormed(entry: SimServiceEntry, hash: string): void {
  const d = entry.detail;
  expect(d.hash_visura).toBe(hash);
  const listed = CATALOG_LIST.find((i) => i.hash_visura === hash);
  expect(listed).toBeDefined();
  expect(d.nome_visura.trim()).toBe(listed?.nome_visura.trim());
  expect(d.nome_categoria).toBe(listed?.nome_categoria);

  const keys = Object.keys(d.json_struttura.campi);
  keys.forEach((k, i) => expect(k).toBe(`$${i}`));
  for (const index of referencedFields(parseValidazione(d.json_struttura.validazione))) {
    expect(keys, `${d.nome_visura}: validazione mentions $${index}`).toContain(`$${index}`);
  }
  // A form nobody can submit would be a catalog bug, not a quirk of the API.
  expect(referencedFields(parseValidazione(d.json_struttura.validazione)).length).toBeGreaterThan(0);

  expect(d.prezzo_visura).toBeGreaterThan(0);
  expect(Math.round(d.prezzo_visura * 100) / 100).toBe(d.prezzo_visura);
  expect(entry.outputs.length).toBeGreaterThan(0);
  // Plain names in the forms the simulator builds (documents.ts): PDF, signed PDF, XML, text, .docm.
  for (const o of entry.outputs) expect(o.name).toMatch(/^[a-z0-9_.-]+\.(pdf|pdf\.p7m|xml|txt|docm)$/);
}

/*
 * Kept apart from the structural checks: these go through the engine's own wire schema, so they
 * also catch that schema refusing what the real API sends (e.g. a field without `ordine`).
 */
describe('the engine reads every detail', () => {
  it('parses every explicit and every synthesised detail with serviceDetailWireSchema', () => {
    const hashes = new Set([...Object.keys(SERVICE_DETAILS), ...CATALOG_LIST.map((i) => i.hash_visura)]);
    const refused: string[] = [];
    for (const hash of hashes) {
      const detail = detailFor(hash)?.detail;
      const parsed = serviceDetailWireSchema.safeParse(detail);
      if (!parsed.success) {
        refused.push(`${detail?.nome_visura}: ${innermostIssue(parsed.error.issues)}`);
        continue;
      }
      expect(parsed.data.hash).toBe(hash);
      expect(parsed.data.fields).toHaveLength(Object.keys(detail?.json_struttura.campi ?? {}).length);
    }
    expect(refused).toEqual([]);
  });

  it('reads the seed form in display order: Nome ($0, without ordine) first, at its own number', () => {
    const parsed = serviceDetailWireSchema.parse(SERVICE_DETAILS[CONGEDO]?.detail);
    expect(parsed.fields.map((f) => f.key)).toEqual(['$0', '$1', '$4', '$3', '$2', '$5', '$6', '$7']);
    expect(parsed.prezzo).toBe(14.7);
    expect(parsed.opzioni.map((o) => o.nome)).toEqual(['opzione_0', 'opzione_1']);
  });

  it('decodes the riscatto instructions, unsanitised (the renderer sanitises)', () => {
    const detail = SERVICE_DETAILS[RISCATTO]?.detail;
    const parsed = serviceDetailWireSchema.parse(detail);
    expect(parsed.istruzioniHtml).toBe(decode(detail?.json_struttura.istruzioni ?? ''));
    expect(parsed.istruzioniHtml).toContain('<script>');
  });
});

describe('CATALOG_LIST', () => {
  it('is the spec example: 92 services, 55 of them Patronato', () => {
    expect(CATALOG_LIST).toHaveLength(92);
    expect(CATALOG_LIST.filter((i) => i.nome_categoria === 'Patronato')).toHaveLength(55);
    expect(CATALOG_LIST[0]?.hash_visura).toBe(CAMERALE_SPEC);
    expect(CATALOG_LIST.at(-1)?.nome_visura).toBe('Ricongiungimento 4 Familiari');
    expect(serviceListSchema.parse(CATALOG_LIST)).toHaveLength(92);
  });

  it('has unique 32-character hashes, hexadecimal except the two "con Ricerca" ones of the spec', () => {
    const hashes = CATALOG_LIST.map((i) => i.hash_visura);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-z]{32}$/);
    const notHex = CATALOG_LIST.filter((i) => !/^[0-9a-f]{32}$/.test(i.hash_visura));
    expect(notHex.map((i) => i.nome_visura)).toEqual([
      'Visura Camerale Ordinaria con Ricerca',
      'Visura Camerale Storica con Ricerca',
    ]);
  });
});

describe('SERVICE_DETAILS', () => {
  it('details at least 10 Patronato services, all listed and well formed', () => {
    const patronato = Object.values(SERVICE_DETAILS).filter((e) => e.detail.nome_categoria === 'Patronato');
    expect(patronato.length).toBeGreaterThanOrEqual(10);
    for (const [hash, entry] of Object.entries(SERVICE_DETAILS)) expectWellFormed(entry, hash);
  });

  it('has the catalog quirks the app must cope with', () => {
    const all = Object.values(SERVICE_DETAILS).map((e) => e.detail);
    const campi = all.flatMap((d) => Object.values(d.json_struttura.campi));
    const known = new Set([
      'testo',
      'denominazione',
      'email',
      'codice_fiscale_persona_fisica',
      'codice_fiscale',
      'partita_iva',
      'cod_comune',
      'cod_provincia',
      'data_iso8601',
      'file',
    ]);
    expect(campi.some((c) => !known.has(c.tipo) && c.opzioni)).toBe(true);
    expect(campi.some((c) => c.ordine === undefined)).toBe(true);
    expect(campi.some((c) => c.null)).toBe(true);
    expect(all.some((d) => d.opzioni === null)).toBe(true);
    expect(all.some((d) => Number.isInteger(d.prezzo_visura))).toBe(true);
    expect(all.some((d) => !Number.isInteger(d.prezzo_visura))).toBe(true);
    expect(all.some((d) => /\s\s|\S&&|&&\S/.test(d.json_struttura.validazione))).toBe(true);
    expect(all.filter((d) => d.ricerca)).toHaveLength(1);
  });

  it('details the marriage and residence certificates with comune and provincia codes', () => {
    const matrimonio = SERVICE_DETAILS['754216257d9bb0f0fa12d3bc5414d560']?.detail;
    const tipi = Object.values(matrimonio?.json_struttura.campi ?? {}).map((c) => [c.nome, c.tipo]);
    expect(tipi).toContainEqual(['DATA MATRIMONIO', 'data_iso8601']);
    expect(tipi).toContainEqual(['CODICE COMUNE MATRIMONIO', 'cod_comune']);
    expect(tipi.some(([, t]) => t === 'cod_provincia')).toBe(true);
    const residenza = SERVICE_DETAILS['69663cda34a03ef7efc253262baea547']?.detail;
    expect(Object.values(residenza?.json_struttura.campi ?? {}).some((c) => c.tipo === 'cod_comune')).toBe(
      true,
    );
  });
});

describe('the seed services', () => {
  const seedCampi = {
    $0: { nome: 'Nome', tipo: 'testo', null: false, istruzioni: 'Inserisci il nome del richiedente' },
    $1: {
      nome: 'COGNOME',
      tipo: 'testo',
      null: false,
      ordine: '1',
      istruzioni: 'Inserisci il cognome del richiedente',
    },
    $2: {
      nome: 'Email',
      tipo: 'email',
      null: false,
      ordine: '4',
      istruzioni: "Inserire l'indirizzo email del richiedente",
    },
    $3: {
      nome: 'CELLULARE',
      tipo: 'testo',
      null: false,
      ordine: '3',
      istruzioni: 'Inserisci il numero di telefono del richiedente',
    },
    $4: {
      nome: 'CODICE FISCALE',
      tipo: 'codice_fiscale_persona_fisica',
      null: false,
      ordine: '2',
      istruzioni: 'Inserire il codice fiscale del richiedente',
    },
    $5: {
      nome: 'COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO',
      tipo: 'file',
      null: false,
      ordine: '5',
      istruzioni: 'Caricare una copia fronte retro del documento d`identità del richiedente.',
    },
    $6: {
      nome: 'COPIA CODICE FISCALE FRONTE RETRO',
      tipo: 'file',
      null: false,
      ordine: '6',
      istruzioni: 'Caricare una copia fronte retro del codice fiscale del richiedente.',
    },
    $7: {
      nome: 'COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA',
      tipo: 'file',
      null: false,
      ordine: '7',
      istruzioni: 'Caricare una copia del mandato di assistenza e rappresentanza del Caf assegnato.',
    },
  };
  const seedRest = {
    nome_categoria: 'Patronato',
    opzioni: [
      { tipo: 'urgenza', prezzo: 4, nome: 'opzione_0' },
      { tipo: 'assistenza_dedicata', prezzo: 10, nome: 'opzione_1' },
    ],
    prezzo_ricerca: 0,
    ricerca: false,
    sincrona: false,
    fornitori: [],
  };
  const validazione =
    '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $7) || ($0 && $1 && $2 && $3 && $4 && $5 && $6)';

  it('congedo parentale is the seed page, typos fixed', () => {
    const expected: SimService = {
      ...seedRest,
      hash_visura: CONGEDO,
      nome_visura: 'Indennità per congedo parentale',
      prezzo_visura: 14.7,
      json_struttura: { campi: seedCampi, validazione, istruzioni: '', istruzioni_ricerca: '' },
    };
    expect(SERVICE_DETAILS[CONGEDO]?.detail).toStrictEqual(expected);
    // The name field has no `ordine` at all, not an empty one: the app must place it last.
    expect('ordine' in (SERVICE_DETAILS[CONGEDO]?.detail.json_struttura.campi.$0 ?? {})).toBe(false);
  });

  it('riscatto leva militare has the same form, price 21 and hostile instructions', () => {
    const detail = SERVICE_DETAILS[RISCATTO]?.detail;
    expect(detail).toBeDefined();
    if (!detail) return;
    const { istruzioni, ...struttura } = detail.json_struttura;
    expect({ ...detail, json_struttura: struttura }).toStrictEqual({
      ...seedRest,
      hash_visura: RISCATTO,
      nome_visura: 'Riscatto leva militare',
      prezzo_visura: 21,
      json_struttura: { campi: seedCampi, validazione, istruzioni_ricerca: '' },
    });
    expect(Number.isInteger(detail.prezzo_visura)).toBe(true);

    expect(istruzioni).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const html = decode(istruzioni);
    expect(html).toContain('<p>');
    expect(html).toContain('<ul>');
    expect(html).toMatch(/<a href="https:\/\/www\.inps\.it\//);
    expect(html).toContain('Gestione Separata');
    expect(html).toContain('<script>');
    expect(html).toContain('<img src=x onerror=alert(1)>');
  });

  it('the 730 Singolo of the other seed keeps its hash and price', () => {
    const detail = SERVICE_DETAILS['38934ffe45179c4d5b88e2a6b849799a']?.detail;
    expect(detail?.nome_visura).toBe('730 Singolo');
    expect(detail?.prezzo_visura).toBe(25.7);
  });
});

describe('the spec example service', () => {
  it('is eccbc87e… exactly as GET /visure/{hash} shows it', () => {
    const detail = SERVICE_DETAILS[CAMERALE_SPEC]?.detail;
    expect(detail).toStrictEqual({
      nome_visura: 'Visura Camerale Ordinaria - società di Capitale ',
      ricerca: false,
      nome_categoria: 'Camerali',
      json_struttura: {
        campi: {
          $0: {
            nome: 'NRea',
            tipo: 'denominazione',
            null: false,
            istruzioni: "Inserire il Numero di Rea dell'azienda",
          },
          $1: {
            nome: 'Cciaa',
            tipo: 'denominazione',
            null: false,
            istruzioni: "Inserire la Cciaa dell'Azienda",
            ordine: '1',
          },
        },
        validazione: '$0 && $1  ',
        istruzioni: b64(
          '<p>Per richiedere la Visura Camerale Ordinaria - Societ&agrave; di Capitale inserisci i seguenti dati:&nbsp;&nbsp;<strong>Nrea</strong>&nbsp;e <strong>Cciaa</strong></p>\r\n',
        ),
        istruzioni_ricerca: '',
      },
      hash_visura: CAMERALE_SPEC,
      prezzo_visura: 4.9,
      prezzo_ricerca: 0,
      sincrona: false,
      opzioni: null,
    });
  });
});

describe('the ricerca service', () => {
  const entry = Object.values(SERVICE_DETAILS).find((e) => e.detail.ricerca);

  it('is a Camerali service with a search form and prices', () => {
    expect(entry).toBeDefined();
    if (!entry) return;
    const d = entry.detail;
    expect(d.nome_categoria).toBe('Camerali');
    expect(d.hash_visura).not.toBe(CAMERALE_SPEC);
    expect(d.hash_visura).toMatch(/^[0-9a-f]{32}$/);
    expect(d.prezzo_visura).toBe(4.78);
    expect(d.prezzo_ricerca).toBe(0.38);
    expect(d.json_struttura.validazione).toBe('$0 || $1');
    expect(d.json_struttura.campi.$0).toMatchObject({
      nome: 'Denominazione/Ragione Sociale',
      tipo: 'denominazione',
      null: true,
    });
    expect(d.json_struttura.campi.$1).toMatchObject({
      nome: 'Partita Iva o Codice Fiscale',
      tipo: 'partita_iva',
      null: true,
    });
    expect(decode(d.json_struttura.istruzioni_ricerca)).toContain('<p>');
  });

  it('finds fictional companies with valid partite IVA', () => {
    const search = entry?.search;
    expect(search).toBeDefined();
    if (!search) return;
    expect(search.results.length).toBeGreaterThanOrEqual(6);
    for (const r of search.results) {
      expect(isValidPartitaIva(r.PIva), r.Denominazione).toBe(true);
      expect(r.Cciaa).toMatch(/^[A-Z]{2}$/);
      expect(r.NRea).toMatch(/^\d+$/);
      expect(r.Indirizzo.Provincia['!']).toBe(r.Cciaa);
      expect(r.Indirizzo.Cap).toMatch(/^\d{5}$/);
    }
    expect(new Set(search.results.map((r) => r.PIva)).size).toBe(search.results.length);

    const rossi = search.find({ $0: '  rossi ', $1: '' });
    expect(rossi.length).toBeGreaterThan(1);
    for (const r of rossi) expect(r.Denominazione.toLowerCase()).toContain('rossi');

    const target = search.results[3];
    expect(target).toBeDefined();
    if (!target) return;
    expect(search.find({ $1: target.PIva })).toEqual([target]);
    expect(search.find({ $1: `IT${target.PIva}` })).toEqual([target]);
    expect(search.find({ $1: target.PIva.slice(0, 10) })).toEqual([]);
    expect(search.find({ $0: 'nessuna impresa con questo nome' })).toEqual([]);
    expect(search.find({ $0: '', $1: '' })).toEqual([]);
    // The spec's own example of a failing search.
    expect(search.find({ $0: '', $1: '12345678910' })).toEqual([]);
  });
});

describe('detailFor', () => {
  it('synthesises a well-formed, stable detail for every other listed service', () => {
    for (const item of CATALOG_LIST) {
      const entry = detailFor(item.hash_visura);
      expect(entry, item.nome_visura).not.toBeNull();
      if (!entry) continue;
      expectWellFormed(entry, item.hash_visura);
      expect(detailFor(item.hash_visura)).toStrictEqual(entry);
      if (!SERVICE_DETAILS[item.hash_visura]) {
        expect(entry.detail.ricerca).toBe(false);
        expect(entry.detail.prezzo_visura).toBeGreaterThanOrEqual(5);
        expect(entry.detail.prezzo_visura).toBeLessThanOrEqual(40);
      }
    }
  });

  it('gives the Patronato services without a hand-written form the usual personal fields, the last file optional', () => {
    const detail = detailFor('81a9493aa70517869216d4a7bc41a4af')?.detail; // Richiesta ANF dip.
    expect(detail?.nome_categoria).toBe('Patronato');
    expect(detail).toBeDefined();
    if (!detail) return;
    const campi = Object.values(detail.json_struttura.campi);
    expect(campi.map((c) => c.tipo)).toEqual(
      expect.arrayContaining(['testo', 'email', 'codice_fiscale_persona_fisica', 'file']),
    );
    const last = Object.keys(detail.json_struttura.campi).length - 1;
    expect(campi[last]).toMatchObject({ tipo: 'file', null: true });
    expect(referencedFields(parseValidazione(detail.json_struttura.validazione))).not.toContain(last);
  });

  it('gives synthesised Camerali services NRea and Cciaa', () => {
    const detail = detailFor('a52edc05d2248d614a5ac356ed056f9c')?.detail; // Bilancio Ottico
    expect(Object.values(detail?.json_struttura.campi ?? {}).map((c) => [c.nome, c.tipo])).toEqual([
      ['NRea', 'denominazione'],
      ['Cciaa', 'cod_provincia'],
    ]);
  });

  it('answers copies, so callers cannot change the catalog', () => {
    const a = detailFor(CONGEDO);
    if (a) a.detail.prezzo_visura = 999;
    expect(detailFor(CONGEDO)?.detail.prezzo_visura).toBe(14.7);
    expect(SERVICE_DETAILS[CONGEDO]?.detail.prezzo_visura).toBe(14.7);
  });

  it('is null for unknown hashes', () => {
    expect(detailFor('0'.repeat(32))).toBeNull();
    expect(detailFor('')).toBeNull();
  });
});

describe('the catalog file', () => {
  it('is data checked against its schema: a detail for every service of the list, nothing loose', async () => {
    const { catalogFileSchema } = await import('../../../main/simulator/catalog.ts');
    const { default: data } = await import('../../../main/simulator/catalog.json', {
      with: { type: 'json' },
    });
    expect(catalogFileSchema.safeParse(data).success).toBe(true);
    const broken = structuredClone(data) as {
      services: Record<string, { detail: { prezzo_visura: unknown } }>;
    };
    broken.services[CONGEDO]!.detail.prezzo_visura = '14,70';
    expect(catalogFileSchema.safeParse(broken).success).toBe(false);
    const missing = structuredClone(data) as { services: Record<string, unknown> };
    delete missing.services[RISCATTO];
    expect(catalogFileSchema.safeParse(missing).error?.issues[0]?.message).toBe(`no detail for ${RISCATTO}`);
  });
});
