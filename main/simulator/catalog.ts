import type { z } from 'zod';
import type { serviceDetailWireSchema } from '../engine/schemas.ts';

/*
 * The simulator's catalog: what `GET /visure` and `GET /visure/{hash}` answer in the "Prova"
 * environment and in every test. The list is the spec's own example, copied once as data so that
 * nothing reads the spec at run time. Details are hand-written for the services a CAF/Patronato
 * counter uses most (with the quirks the real API shows: missing `ordine`, unknown `tipo`s,
 * integer prices, stray spaces in `validazione`, `opzioni: null`), and synthesised for the rest
 * so that every hash of the list opens a plausible form.
 */

/** What the real API may send for one service detail (the engine parses it leniently). */
export type WireServiceDetail = z.input<typeof serviceDetailWireSchema>;

/*
 * Our own data is stricter than what we accept from the wire, so mistakes in it fail to compile.
 * Type aliases, not interfaces: only these are assignable to the wire type's index signatures.
 */
export type SimCampo = {
  nome: string;
  tipo: string;
  null: boolean;
  ordine?: string;
  istruzioni: string;
  opzioni?: string;
};

export type SimOpzione = { tipo: string; prezzo: number; nome: string };

export type SimService = {
  nome_visura: string;
  nome_categoria: string;
  hash_visura: string;
  ricerca: boolean;
  sincrona: boolean;
  prezzo_visura: number;
  prezzo_ricerca: number;
  opzioni: SimOpzione[] | null;
  fornitori?: unknown[];
  json_struttura: {
    campi: Record<string, SimCampo>;
    validazione: string;
    /** base64 of HTML, as the API sends it. */
    istruzioni: string;
    /** base64 of HTML, as the API sends it. */
    istruzioni_ricerca: string;
  };
};

/** One file in the zip of a finished request. */
export type SimOutput = { name: string; title: string };

/** One result of a company search, shaped like the spec's `json_risultato` entries. */
export type SimSearchResult = {
  Cciaa: string;
  NRea: string;
  Denominazione: string;
  CodFisc: string;
  PIva: string;
  NatGiu: { '!cod': string; '!gruppo': string; '!': string };
  StatoAttivitaR: { '!cod': string; '!semaforo': string; '!': string };
  Ateco07?: { '!cod': string; '!': string };
  Indirizzo: {
    Provincia: { '!regione': string; '!': string };
    Comune: string;
    Toponimo: string;
    Via: string;
    NCivico: string;
    Cap: string;
  };
  '!completa': string;
  '!idBicAzienda': string;
};

export type SimSearch = {
  /** Every company the search can find; the matches of a search become `indice_0`, `indice_1`, … */
  results: readonly SimSearchResult[];
  /** The results matching a submitted `json_visura`, in catalog order (empty when none). */
  find: (jsonVisura: Readonly<Record<string, string | undefined>>) => SimSearchResult[];
};

/** Simulator-only metadata stays outside `detail`, which is exactly what goes on the wire. */
export type SimServiceEntry = {
  detail: SimService;
  outputs: SimOutput[];
  search?: SimSearch;
};

export type CatalogListItem = { nome_visura: string; nome_categoria: string; hash_visura: string };

// Compile-time proof that our stricter shape is something the API could send.
const _wireCompatible = (s: SimService): WireServiceDetail => s;

export function b64(html: string): string {
  return Buffer.from(html, 'utf8').toString('base64');
}

// ---------------------------------------------------------------------------------------------
// The list: the 92 entries of the spec's `GET /visure` example, in its order. Two hashes of the
// real list are not hexadecimal (the "con Ricerca" services): kept as they are, on purpose.

export const CATALOG_LIST: CatalogListItem[] = [
  {
    nome_visura: 'Visura Camerale Ordinaria - società di Capitale',
    nome_categoria: 'Camerali',
    hash_visura: 'eccbc87e4b5ce2fe28308fd9f2a7baf3',
  },
  {
    nome_visura: 'Visura Camerale Ordinaria - società di Persone',
    nome_categoria: 'Camerali',
    hash_visura: 'a87ff679a2f3e71d9181a67b7542122c',
  },
  {
    nome_visura: 'Visura Camerale Ordinaria - Impresa Individuale',
    nome_categoria: 'Camerali',
    hash_visura: 'e4da3b7fbbce2345d7772b0674a318d5',
  },
  {
    nome_visura: 'Visura Camerale Storica - Società di Capitale',
    nome_categoria: 'Camerali',
    hash_visura: '8f14e45fceea167a5a36dedd4bea2543',
  },
  {
    nome_visura: 'Visura Camerale Storica - Società di Persone',
    nome_categoria: 'Camerali',
    hash_visura: 'c9f0f895fb98ab9159f51fd0297e236d',
  },
  {
    nome_visura: 'Visura Camerale Storica - Impresa Individuale',
    nome_categoria: 'Camerali',
    hash_visura: '45c48cce2e2d7fbdea1afc51c7c6ad26',
  },
  {
    nome_visura: 'Fascicolo Società di Capitali',
    nome_categoria: 'Camerali',
    hash_visura: 'eb626b8f493fbd4a89de4ae3b5789147',
  },
  {
    nome_visura: 'Fascicolo Società di Persone',
    nome_categoria: 'Camerali',
    hash_visura: '6085866c3a98b508803953428b96736c',
  },
  {
    nome_visura: 'Fascicolo Storico Società di Persone',
    nome_categoria: 'Camerali',
    hash_visura: '6dfd9cc7a7acf26a8beb29a21b51e97c',
  },
  {
    nome_visura: 'Fascicolo Storico Società di Capitali',
    nome_categoria: 'Camerali',
    hash_visura: '3aa2115fc50a8368205d2973cb6c6aac',
  },
  {
    nome_visura: 'Certificato artigiano',
    nome_categoria: 'Camerali',
    hash_visura: '9ef82f015e2fcaf0d69e89dc54999465',
  },
  {
    nome_visura: 'Certificato di iscrizione',
    nome_categoria: 'Camerali',
    hash_visura: 'fab482bf67a418f00d596b7296750a9a',
  },
  {
    nome_visura: 'Visura Protesti Persona Fisica',
    nome_categoria: 'Camerali',
    hash_visura: '36228bd6463299189b071d91ff935347',
  },
  {
    nome_visura: 'Visura Protesti Società',
    nome_categoria: 'Camerali',
    hash_visura: '494264bd80bd2a45b927d571bdad3d76',
  },
  {
    nome_visura: 'Visura Protesti e Pregiudizievoli Persona Fisica',
    nome_categoria: 'Camerali',
    hash_visura: 'aa9dc6a1abb0154ace5365c3617be629',
  },
  {
    nome_visura: 'Visura Protesti e Pregiudizievoli Società',
    nome_categoria: 'Camerali',
    hash_visura: '0a90a897970a6f33ccf2880642dd91d0',
  },
  { nome_visura: 'DURC Online', nome_categoria: 'Camerali', hash_visura: '3cbbb9c833f1c94af35494820cda3370' },
  {
    nome_visura: 'Bilancio Ottico',
    nome_categoria: 'Camerali',
    hash_visura: 'a52edc05d2248d614a5ac356ed056f9c',
  },
  {
    nome_visura: 'Bilancio XBRL',
    nome_categoria: 'Camerali',
    hash_visura: 'ede0b4cd4ad06227a0d88a00088c3e0f',
  },
  {
    nome_visura: 'Eventi Negativi Azienda',
    nome_categoria: 'Camerali',
    hash_visura: '4b3c07cd4f7c18ba0b60dc6925ed6f2b',
  },
  {
    nome_visura: 'Eventi Negativi Persona',
    nome_categoria: 'Camerali',
    hash_visura: 'b39746d875eb7231c7f8a6e047d9924c',
  },
  {
    nome_visura: 'Cariche Attive Persona',
    nome_categoria: 'Camerali',
    hash_visura: 'f3a0979f15915b337aafabcd89c5ee70',
  },
  {
    nome_visura: 'Certificato Storico',
    nome_categoria: 'Camerali',
    hash_visura: '86d7aeb8f8d72f8891dba9b328d63f94',
  },
  {
    nome_visura: 'Visura Camerale Ordinaria con Ricerca',
    nome_categoria: 'Camerali',
    hash_visura: 'afa0b4cu7yd06226i5d89p00077c3j6t',
  },
  {
    nome_visura: 'Visura Camerale Storica con Ricerca',
    nome_categoria: 'Camerali',
    hash_visura: 'tot0b5cv7yd66626i5i90p00453c3p0u',
  },
  {
    nome_visura: 'Visura Camerale Inglese',
    nome_categoria: 'Camerali',
    hash_visura: 'de971262c4960d06665cfd43ad6431d8',
  },
  {
    nome_visura: 'Visura Centrale Rischi persona fisica',
    nome_categoria: 'Camerali',
    hash_visura: '526b6c8415936433f5a217d2bf7d2a72',
  },
  {
    nome_visura: 'Visura Centrale Rischi Persona Giuridica',
    nome_categoria: 'Camerali',
    hash_visura: '8e238ef3e28fd887c014879179ece1b0',
  },
  {
    nome_visura: 'Visura Experian',
    nome_categoria: 'Camerali',
    hash_visura: 'b56c410cdfd569bfc0160821d4b3b26b',
  },
  {
    nome_visura: 'Elaborato Planimetrico',
    nome_categoria: 'Catastali',
    hash_visura: '99d9da7b8fbf8a60054a48217fc5d5a1',
  },
  {
    nome_visura: 'Planimetria Catastale',
    nome_categoria: 'Catastali',
    hash_visura: '4ff728695eab3ab9eaa6f58b22cd5734',
  },
  {
    nome_visura: 'Relazione Immobiliare Light',
    nome_categoria: 'Servizi immobiliari',
    hash_visura: '155e32c7eafa9bf45fd65f8647a9a623',
  },
  {
    nome_visura: 'Relazione Immobiliare Intermedia',
    nome_categoria: 'Servizi immobiliari',
    hash_visura: 'fc9c42046d8a25706dda92e5521f1e24',
  },
  {
    nome_visura: 'Relazione Immobiliare Plus',
    nome_categoria: 'Servizi immobiliari',
    hash_visura: '761733d82c59112d91302e82aa97177f',
  },
  {
    nome_visura: 'Estratto Contributivo',
    nome_categoria: 'Patronato',
    hash_visura: 'cf711d0121f5a2f95a8694d960124bd1',
  },
  {
    nome_visura: 'RICHIESTA ANF DIP senza autorizzazione',
    nome_categoria: 'Patronato',
    hash_visura: '81a9493aa70517869216d4a7bc41a4af',
  },
  { nome_visura: 'ISEE', nome_categoria: 'Patronato', hash_visura: '6aa0789f5ba34684b2bc5ccf364f8929' },
  {
    nome_visura: '730 Singolo',
    nome_categoria: 'Patronato',
    hash_visura: '38934ffe45179c4d5b88e2a6b849799a',
  },
  {
    nome_visura: '730 Congiunto',
    nome_categoria: 'Patronato',
    hash_visura: '38a18478a1b223e0da81a6e0fcc730df',
  },
  { nome_visura: 'NASPI', nome_categoria: 'Patronato', hash_visura: '61987f81efc1a1cdde3ba0f8f48a3aaa' },
  {
    nome_visura: 'Pensione di vecchiaia',
    nome_categoria: 'Patronato',
    hash_visura: '5fec14002548c9ae115758500c8981ee',
  },
  {
    nome_visura: 'CUD Pensionati',
    nome_categoria: 'Patronato',
    hash_visura: 'df66c5f10a4ce1162c56f762c562d79c',
  },
  {
    nome_visura: 'Certificato di residenza AIRE',
    nome_categoria: 'Patronato',
    hash_visura: 'e34c38d9b1b17217fafb605fe5fa75b4',
  },
  {
    nome_visura: 'Certificato di matrimonio',
    nome_categoria: 'Patronato',
    hash_visura: '754216257d9bb0f0fa12d3bc5414d560',
  },
  {
    nome_visura: 'Certificato di residenza anagrafica',
    nome_categoria: 'Patronato',
    hash_visura: '69663cda34a03ef7efc253262baea547',
  },
  {
    nome_visura: 'Certificato storico di residenza',
    nome_categoria: 'Patronato',
    hash_visura: '9747dc915d45feae44933faff87339a9',
  },
  {
    nome_visura: 'Certificato stato di famiglia',
    nome_categoria: 'Patronato',
    hash_visura: '4c84e22bbabd5f25b0102bb3bfe82790',
  },
  {
    nome_visura: 'Visura Proprietari PRA',
    nome_categoria: 'Patronato',
    hash_visura: '89031e957e9cebc4f6e64948f2353727',
  },
  {
    nome_visura: 'Visura Bolli',
    nome_categoria: 'Patronato',
    hash_visura: '2800b5f326a8f298761cde42da9f6c53',
  },
  {
    nome_visura: 'Visura Targa PRA',
    nome_categoria: 'Patronato',
    hash_visura: '7deb1e62338cf1d811b3a74c3c1a1bc2',
  },
  {
    nome_visura: 'IMU CALCOLO',
    nome_categoria: 'Patronato',
    hash_visura: '4d085e4448d523d18aa7f76f53662ff8',
  },
  {
    nome_visura: 'Reddito di Cittadinanza con ISEE',
    nome_categoria: 'Patronato',
    hash_visura: 'b6887eb9c3e6238a1b3a19217225f085',
  },
  {
    nome_visura: 'Indennità di Maternità',
    nome_categoria: 'Patronato',
    hash_visura: 'aee4f1dc8266a392f326a2b17e86d1d0',
  },
  {
    nome_visura: 'Rettifica ISEE',
    nome_categoria: 'Patronato',
    hash_visura: 'ec76981f4a38a771af76b64af93a109b',
  },
  { nome_visura: 'OBIS-M', nome_categoria: 'Patronato', hash_visura: 'bc74d769203eb5c33f2a40e91c076ec3' },
  {
    nome_visura: 'Pacchetto Finanziaria',
    nome_categoria: 'Patronato',
    hash_visura: 'e767a64dec5b382cbff27b3e46f41441',
  },
  {
    nome_visura: 'ISEE CORRENTE',
    nome_categoria: 'Patronato',
    hash_visura: '57c24ad72bd57ba4d796622504086e02',
  },
  {
    nome_visura: 'AUTORIZZAZIONE ANF DIP',
    nome_categoria: 'Patronato',
    hash_visura: '42fa97e7dc036947f44b9ecff50e0bcb',
  },
  { nome_visura: 'REM', nome_categoria: 'Patronato', hash_visura: '460b31652b679e975bc4f3e29c3c01e6' },
  { nome_visura: 'NASPI COM', nome_categoria: 'Patronato', hash_visura: '3d1eee78a4a76432d4a09a30574c177e' },
  {
    nome_visura: 'ISEE SOCIO SANITARIO A CICLO CONTINUO',
    nome_categoria: 'Patronato',
    hash_visura: '917a50a70cf6df1d161600168bba5222',
  },
  {
    nome_visura: 'DIMISSIONI VOLONTARIE',
    nome_categoria: 'Patronato',
    hash_visura: '232489febe7e589192ac50dee2a05a56',
  },
  {
    nome_visura: 'Revoca Dimissioni telematiche volontarie',
    nome_categoria: 'Patronato',
    hash_visura: '442500298a5af635d303565238a998b9',
  },
  {
    nome_visura: 'Pensione Superstiti',
    nome_categoria: 'Patronato',
    hash_visura: '079e2c420c93f633ac4c8954f27c1299',
  },
  {
    nome_visura: 'Reddito di Cittadinanza',
    nome_categoria: 'Patronato',
    hash_visura: '1f40fac47d50ad0c80b0426d3da1519f',
  },
  {
    nome_visura: 'Richiesta assegno invalidità (con accompagno e senza)',
    nome_categoria: 'Patronato',
    hash_visura: '0089e0f8be42f26c4e52251391333a8f',
  },
  {
    nome_visura: 'Ricostituzione dei contributi',
    nome_categoria: 'Patronato',
    hash_visura: '3a3bf5e4220fb00cc8eb5457c44ebea9',
  },
  {
    nome_visura: 'Rinnovo assegno invalidità (con accompagno e senza)',
    nome_categoria: 'Patronato',
    hash_visura: '9476764f6f469bd45e91652eb0400619',
  },
  {
    nome_visura: 'Calcolo e Previsione Pensione',
    nome_categoria: 'Patronato',
    hash_visura: '1f9dfd7e9a73918756470d9618fb317d',
  },
  {
    nome_visura: 'NASpI Anticipata',
    nome_categoria: 'Patronato',
    hash_visura: '4430f340c6f44778da912a061de271a4',
  },
  {
    nome_visura: 'Reddito di Cittadinanza Com esteso',
    nome_categoria: 'Patronato',
    hash_visura: '7fa0ede91e5096663d87a15d97355fd9',
  },
  {
    nome_visura: 'Indennità per congedi straordinari (legge 104)',
    nome_categoria: 'Patronato',
    hash_visura: 'f35c959882a5c6be1bd227654ed8eded',
  },
  {
    nome_visura: 'Indennità per congedo parentale',
    nome_categoria: 'Patronato',
    hash_visura: '8a7c8386fff43d28182cfa2ad24a3532',
  },
  {
    nome_visura: 'Riscatto leva militare',
    nome_categoria: 'Patronato',
    hash_visura: '0d9ada4b11f4493674559264d6879948',
  },
  {
    nome_visura: 'Domanda Assegno Unico',
    nome_categoria: 'Patronato',
    hash_visura: '224fcc49770edad354cdd9c480a7e50e',
  },
  {
    nome_visura: 'Esponenti Attivi Azienda',
    nome_categoria: 'Camerali',
    hash_visura: '95cb552053977ca50c9e9b37532edd20',
  },
  {
    nome_visura: 'Quote Attive Persona',
    nome_categoria: 'Camerali',
    hash_visura: '367ff20236e836d81470f00ba1d9f703',
  },
  {
    nome_visura: 'Soci Attivi Azienda',
    nome_categoria: 'Camerali',
    hash_visura: '70a1b5d29d8efaae6ef9616841fd6f72',
  },
  {
    nome_visura: 'Certificato di matrimonio tradotto (GB-ES-FR)',
    nome_categoria: 'Patronato',
    hash_visura: '1ec97fba0a0b42a95c27043850077341',
  },
  {
    nome_visura: 'Estratto di matrimonio',
    nome_categoria: 'Patronato',
    hash_visura: '90a405e6916d7245a6a6bb4a0ad5f9b0',
  },
  {
    nome_visura: 'Copia integrale atto di matrimonio',
    nome_categoria: 'Patronato',
    hash_visura: 'fd2875faac6640f5a7ecba51f8e68816',
  },
  {
    nome_visura: 'Estratto di matrimonio tradotto (GB-ES-FR)',
    nome_categoria: 'Patronato',
    hash_visura: '239689b89ac34c9143c96c981b552520',
  },
  {
    nome_visura: 'Copia integrale atto di matrimonio tradotto (GB-ES-FR)',
    nome_categoria: 'Patronato',
    hash_visura: '1eebd39478f59e60dd2b3809fcbf9085',
  },
  {
    nome_visura: 'Certificato di matrimonio tradotto (altre lingue)',
    nome_categoria: 'Patronato',
    hash_visura: '4c82d4d3aa2d0f26f61337ae22dd324d',
  },
  {
    nome_visura: 'Estratto di matrimonio tradotto (altre lingue)',
    nome_categoria: 'Patronato',
    hash_visura: '90295381c8ebd0a3bfd18d35f315574b',
  },
  {
    nome_visura: 'Copia integrale atto di matrimonio tradotto (altre lingue)',
    nome_categoria: 'Patronato',
    hash_visura: 'b3e909f65b8c8669acd681037f49abf2',
  },
  {
    nome_visura: 'Domanda di Cittadinanza Italiana',
    nome_categoria: 'Patronato',
    hash_visura: '642ad03a651c6ae3cd152dc85faf7677',
  },
  {
    nome_visura: 'Domanda Esame A2 per Carta di Soggiorno',
    nome_categoria: 'Patronato',
    hash_visura: '2631ec9b62135de4186f509fea7d954b',
  },
  {
    nome_visura: 'Ricongiungimento 1 Familiare',
    nome_categoria: 'Patronato',
    hash_visura: '04e0d6e942eb231d4f265920a39cdcb2',
  },
  {
    nome_visura: 'Ricongiungimento 2 Familiari',
    nome_categoria: 'Patronato',
    hash_visura: '07bfc62769ffcffe647fab84c0c127f0',
  },
  {
    nome_visura: 'Ricongiungimento 3 Familiari',
    nome_categoria: 'Patronato',
    hash_visura: 'e65a00e447340c9e57d5c334b2446f8d',
  },
  {
    nome_visura: 'Ricongiungimento 4 Familiari',
    nome_categoria: 'Patronato',
    hash_visura: '378b1bb4fc29809619d220975729c013',
  },
];

// ---------------------------------------------------------------------------------------------
// Builders. `ordine` is a string on the wire and absent on some fields, so it is only set when given.

type CampoOpts = { ordine?: number; optional?: boolean; opzioni?: string };

function campo(nome: string, tipo: string, istruzioni: string, opts: CampoOpts = {}): SimCampo {
  const c: SimCampo = { nome, tipo, null: opts.optional ?? false, istruzioni };
  if (opts.ordine !== undefined) c.ordine = String(opts.ordine);
  if (opts.opzioni !== undefined) c.opzioni = opts.opzioni;
  return c;
}

function campi(...list: SimCampo[]): Record<string, SimCampo> {
  return Object.fromEntries(list.map((c, i) => [`$${i}`, c]));
}

/** `$0 && $1 && … && $n-1`, the most common shape. */
function allOf(indexes: number[]): string {
  return indexes.map((i) => `$${i}`).join(' && ');
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const URGENZA: SimOpzione = { tipo: 'urgenza', prezzo: 4, nome: 'opzione_0' };
const ASSISTENZA: SimOpzione = { tipo: 'assistenza_dedicata', prezzo: 10, nome: 'opzione_1' };

function patronato(
  hash: string,
  nome: string,
  prezzo: number,
  fields: Record<string, SimCampo>,
  validazione: string,
  extra: { opzioni?: SimOpzione[] | null; istruzioni?: string; fornitori?: unknown[] } = {},
): SimService {
  const detail: SimService = {
    nome_visura: nome,
    nome_categoria: 'Patronato',
    hash_visura: hash,
    ricerca: false,
    sincrona: false,
    prezzo_visura: prezzo,
    prezzo_ricerca: 0,
    opzioni: extra.opzioni === undefined ? [URGENZA, ASSISTENZA] : extra.opzioni,
    json_struttura: {
      campi: fields,
      validazione,
      istruzioni: extra.istruzioni ?? '',
      istruzioni_ricerca: '',
    },
  };
  if (extra.fornitori) detail.fornitori = extra.fornitori;
  return detail;
}

// Texts shared by many Patronato forms, worded as the API words them (seed pages).
const T = {
  nome: 'Inserisci il nome del richiedente',
  cognome: 'Inserisci il cognome del richiedente',
  email: "Inserire l'indirizzo email del richiedente",
  cellulare: 'Inserisci il numero di telefono del richiedente',
  cf: 'Inserire il codice fiscale del richiedente',
  documento: 'Caricare una copia fronte retro del documento d`identità del richiedente.',
  cfCard: 'Caricare una copia fronte retro del codice fiscale del richiedente.',
  mandato: 'Caricare una copia del mandato di assistenza e rappresentanza del Caf assegnato.',
  iban: "Inserire l'IBAN del conto intestato o cointestato al richiedente (27 caratteri, IT…)",
  data: 'Inserire la data nel formato gg-mm-aaaa',
  note: 'Eventuali informazioni utili per l`operatore che lavorerà la pratica',
} as const;

const DOC_IDENTITA = 'COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO';
const COPIA_CF = 'COPIA CODICE FISCALE FRONTE RETRO';
const MANDATO = 'COPIA MANDATO DI ASSISTENZA E RAPPRESENTANZA';

/** The eight fields of the two seed pages, with the seed's typos (doubled quotes) fixed. */
function seedCampi(): Record<string, SimCampo> {
  return campi(
    campo('Nome', 'testo', T.nome),
    campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
    campo('Email', 'email', T.email, { ordine: 4 }),
    campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
    campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
    campo(DOC_IDENTITA, 'file', T.documento, { ordine: 5 }),
    campo(COPIA_CF, 'file', T.cfCard, { ordine: 6 }),
    campo(MANDATO, 'file', T.mandato, { ordine: 7 }),
  );
}

const SEED_VALIDAZIONE =
  '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $7) || ($0 && $1 && $2 && $3 && $4 && $5 && $6)';

const RICEVUTA: SimOutput = {
  name: 'ricevuta_presentazione.pdf',
  title: 'Ricevuta di presentazione della domanda',
};
const DOMANDA_INPS: SimOutput = { name: 'domanda_inps.pdf', title: 'Copia della domanda trasmessa all`INPS' };

// ---------------------------------------------------------------------------------------------
// Instructions (HTML, sent base64-encoded like the real API).

/*
 * Deliberately hostile: the real catalog's HTML is not under our control, so the renderer must
 * sanitise it. This text makes every run of the simulator exercise that.
 */
const RISCATTO_HTML = [
  '<p>Il <strong>riscatto (accredito figurativo) del servizio militare</strong> riconosce gratuitamente, ai fini della pensione, ',
  'il periodo di servizio militare obbligatorio o di richiamo alle armi. Possono chiederlo lavoratori, pensionati e superstiti.</p>',
  '<p>Requisiti:</p>',
  '<ul>',
  '<li>almeno un contributo effettivamente versato (obbligatorio, volontario o da riscatto);</li>',
  '<li>periodo non già coperto da altra contribuzione;</li>',
  '<li>non essere iscritti alla Gestione Separata INPS;</li>',
  '<li>nessuna scadenza: la domanda si può presentare in qualsiasi momento.</li>',
  '</ul>',
  '<p>Se disponibile, allegare anche il foglio matricolare o il congedo illimitato. ',
  '<a href="https://www.inps.it/it/it/dettaglio-scheda.schede-servizio-strumento.schede-servizi.accredito-figurativo-del-servizio-militare.html">Scheda del servizio sul sito INPS</a></p>',
  '<img src=x onerror=alert(1)>',
  '<script>alert("istruzioni non sanificate")</script>',
].join('\r\n');

const ISEE_HTML = [
  '<p>Per la <strong>Dichiarazione Sostitutiva Unica (DSU)</strong> servono i dati di <em>tutti</em> i componenti del nucleo familiare alla data di presentazione.</p>',
  '<ul>',
  '<li>documento d`identità e codice fiscale del dichiarante;</li>',
  '<li>codici fiscali dei componenti del nucleo;</li>',
  '<li>saldi e giacenze medie al 31/12 di due anni prima di conti, libretti e carte prepagate;</li>',
  '<li>contratto di locazione registrato (se in affitto);</li>',
  '<li>targhe di auto e moto di cilindrata pari o superiore a 500 cc.</li>',
  '</ul>',
  '<p>L`attestazione ISEE è rilasciata dall`INPS, di norma entro 10 giorni lavorativi dalla trasmissione della DSU.</p>',
].join('\r\n');

const DICHIARAZIONE_730_HTML = [
  '<p>Dichiarazione dei redditi con <strong>modello 730 singolo</strong>: il rimborso o il debito sono gestiti dal sostituto d`imposta indicato.</p>',
  '<ul>',
  '<li>Certificazione Unica (CU) dell`anno d`imposta;</li>',
  '<li>spese detraibili e deducibili (mediche, scolastiche, interessi del mutuo, affitto…);</li>',
  '<li>730 o Redditi PF dell`anno precedente, se presentato.</li>',
  '</ul>',
  '<p>Per più file dello stesso tipo unirli in un unico PDF.</p>',
].join('\r\n');

const NASPI_HTML = [
  '<p>La <strong>NASpI</strong> va chiesta entro <strong>68 giorni</strong> dalla cessazione del rapporto di lavoro.</p>',
  '<p>Serve la lettera di licenziamento <em>oppure</em> le ultime buste paga con la comunicazione di cessazione.</p>',
].join('\r\n');

const DIMISSIONI_HTML = [
  '<p>Le dimissioni volontarie si presentano esclusivamente in via telematica (art. 26 D.Lgs. 151/2015) e sono revocabili entro 7 giorni.</p>',
  '<p>Indicare la <strong>data di decorrenza</strong> tenendo conto del preavviso previsto dal contratto.</p>',
].join('\r\n');

const LEGGE_104_HTML = [
  '<p>Il congedo straordinario (art. 42 c. 5 D.Lgs. 151/2001) spetta per assistere un familiare con disabilità grave ',
  '(art. 3 c. 3 L. 104/1992), fino a <strong>2 anni</strong> nell`arco della vita lavorativa.</p>',
].join('\r\n');

const CAMERALE_RICERCA_HTML =
  '<p>Per richiedere la Visura Camerale Ordinaria cerca prima l`impresa: inserisci la <strong>denominazione</strong> oppure la <strong>partita IVA</strong>, poi scegli il risultato corretto.</p>\r\n';

const CAMERALE_RICERCA_ISTRUZIONI_RICERCA_HTML = [
  '<p>Inserisci la <strong>denominazione</strong> (anche parziale) <em>oppure</em> la <strong>partita IVA / codice fiscale</strong> dell`impresa.</p>',
  '<p>Ogni ricerca ha un costo; la visura è addebitata solo alla scelta del risultato.</p>',
].join('\r\n');

// ---------------------------------------------------------------------------------------------
// The search of the ricerca service: fictional companies (valid partite IVA, fictional people).

const COMPANIES: readonly SimSearchResult[] = [
  {
    Cciaa: 'MI',
    NRea: '2034567',
    Denominazione: 'ROSSI COSTRUZIONI S.R.L.',
    CodFisc: '08451230158',
    PIva: '08451230158',
    NatGiu: { '!cod': 'SR', '!gruppo': '1', '!': "SOCIETA' A RESPONSABILITA' LIMITATA" },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '412000', '!': 'Costruzione di edifici residenziali e non residenziali' },
    Indirizzo: {
      Provincia: { '!regione': '03', '!': 'MI' },
      Comune: 'MILANO',
      Toponimo: 'VIA',
      Via: 'GIUSEPPE MAZZINI',
      NCivico: '12',
      Cap: '20123',
    },
    '!completa': 'S',
    '!idBicAzienda': '231407',
  },
  {
    Cciaa: 'TO',
    NRea: '1187342',
    Denominazione: 'AUTOFFICINA ROSSI & BIANCHI S.N.C. DI ROSSI MARIO E BIANCHI LUCA',
    CodFisc: '10933770017',
    PIva: '10933770017',
    NatGiu: { '!cod': 'SN', '!gruppo': '1', '!': "SOCIETA' IN NOME COLLETTIVO" },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '452010', '!': 'Riparazioni meccaniche di autoveicoli' },
    Indirizzo: {
      Provincia: { '!regione': '01', '!': 'TO' },
      Comune: 'TORINO',
      Toponimo: 'CORSO',
      Via: 'VITTORIO EMANUELE II',
      NCivico: '88/B',
      Cap: '10121',
    },
    '!completa': 'S',
    '!idBicAzienda': '231588',
  },
  {
    // An impresa individuale: its codice fiscale is the owner's, unlike its partita IVA.
    Cciaa: 'NA',
    NRea: '945120',
    Denominazione: 'PANIFICIO ROSSI DI ROSSI GIOVANNA',
    CodFisc: 'RSSGNN70A41F839R',
    PIva: '07582140633',
    NatGiu: { '!cod': 'DI', '!gruppo': '2', '!': 'IMPRESA INDIVIDUALE' },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '107100', '!': 'Produzione di prodotti di panetteria e pasticceria fresca' },
    Indirizzo: {
      Provincia: { '!regione': '15', '!': 'NA' },
      Comune: 'NAPOLI',
      Toponimo: 'VIA',
      Via: 'DEI TRIBUNALI',
      NCivico: '31',
      Cap: '80138',
    },
    '!completa': 'S',
    '!idBicAzienda': '',
  },
  {
    Cciaa: 'BO',
    NRea: '512876',
    Denominazione: 'TRATTORIA DA GIGI S.A.S. DI ESPOSITO LUIGI & C.',
    CodFisc: '03917260378',
    PIva: '03917260378',
    NatGiu: { '!cod': 'AS', '!gruppo': '1', '!': "SOCIETA' IN ACCOMANDITA SEMPLICE" },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '561011', '!': 'Ristorazione con somministrazione' },
    Indirizzo: {
      Provincia: { '!regione': '08', '!': 'BO' },
      Comune: 'BOLOGNA',
      Toponimo: 'VIA',
      Via: 'DEL PRATELLO',
      NCivico: '7/A',
      Cap: '40122',
    },
    '!completa': 'S',
    '!idBicAzienda': '231912',
  },
  {
    Cciaa: 'PR',
    NRea: '268431',
    Denominazione: "CASEIFICIO VALLE VERDE SOCIETA' COOPERATIVA AGRICOLA",
    CodFisc: '02874190347',
    PIva: '02874190347',
    NatGiu: { '!cod': 'SC', '!gruppo': '1', '!': "SOCIETA' COOPERATIVA" },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '105120', '!': 'Produzione dei derivati del latte' },
    Indirizzo: {
      Provincia: { '!regione': '08', '!': 'PR' },
      Comune: 'LANGHIRANO',
      Toponimo: 'STRADA',
      Via: 'PROVINCIALE MASSESE',
      NCivico: '140',
      Cap: '43013',
    },
    '!completa': 'S',
    '!idBicAzienda': '232004',
  },
  {
    Cciaa: 'RM',
    NRea: '1523904',
    Denominazione: 'BIANCHI SERVIZI INFORMATICI S.P.A.',
    CodFisc: '14620381005',
    PIva: '14620381005',
    NatGiu: { '!cod': 'SP', '!gruppo': '1', '!': "SOCIETA' PER AZIONI" },
    StatoAttivitaR: { '!cod': 'R', '!semaforo': 'V', '!': 'REGISTRATA' },
    Ateco07: { '!cod': '6201', '!': "Produzione di software non connesso all'edizione" },
    Indirizzo: {
      Provincia: { '!regione': '12', '!': 'RM' },
      Comune: 'ROMA',
      Toponimo: 'VIALE',
      Via: 'EUROPA',
      NCivico: '190',
      Cap: '00144',
    },
    '!completa': 'S',
    '!idBicAzienda': '232117',
  },
];

function normaliseText(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

function normaliseId(s: string): string {
  return s
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/^IT(?=\d{11}$)/, '');
}

/*
 * A company matches when it satisfies every criterion that was filled in: a name fragment
 * (case-insensitive substring of the denominazione) and/or an exact partita IVA or codice fiscale.
 */
function findCompanies(jsonVisura: Readonly<Record<string, string | undefined>>): SimSearchResult[] {
  const name = normaliseText(jsonVisura.$0 ?? '');
  const id = normaliseId(jsonVisura.$1 ?? '');
  if (!name && !id) return [];
  return COMPANIES.filter(
    (c) =>
      (!name || normaliseText(c.Denominazione).includes(name)) &&
      (!id || c.PIva === id || c.CodFisc.toUpperCase() === id),
  );
}

// ---------------------------------------------------------------------------------------------
// Hand-written details.

const H = {
  congedoParentale: '8a7c8386fff43d28182cfa2ad24a3532',
  riscattoLeva: '0d9ada4b11f4493674559264d6879948',
  isee: '6aa0789f5ba34684b2bc5ccf364f8929',
  naspi: '61987f81efc1a1cdde3ba0f8f48a3aaa',
  singolo730: '38934ffe45179c4d5b88e2a6b849799a',
  dimissioni: '232489febe7e589192ac50dee2a05a56',
  assegnoUnico: '224fcc49770edad354cdd9c480a7e50e',
  invalidita: '0089e0f8be42f26c4e52251391333a8f',
  vecchiaia: '5fec14002548c9ae115758500c8981ee',
  estrattoContributivo: 'cf711d0121f5a2f95a8694d960124bd1',
  maternita: 'aee4f1dc8266a392f326a2b17e86d1d0',
  matrimonio: '754216257d9bb0f0fa12d3bc5414d560',
  residenza: '69663cda34a03ef7efc253262baea547',
  legge104: 'f35c959882a5c6be1bd227654ed8eded',
  cameraleCapitale: 'eccbc87e4b5ce2fe28308fd9f2a7baf3',
  cameralePersone: 'a87ff679a2f3e71d9181a67b7542122c',
} as const;

const ENTRIES: SimServiceEntry[] = [
  {
    detail: patronato(
      H.congedoParentale,
      'Indennità per congedo parentale',
      14.7,
      seedCampi(),
      SEED_VALIDAZIONE,
      {
        fornitori: [],
      },
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    // 21, not 21.0: the API sends whole prices as integers.
    detail: patronato(H.riscattoLeva, 'Riscatto leva militare', 21, seedCampi(), SEED_VALIDAZIONE, {
      fornitori: [],
      istruzioni: b64(RISCATTO_HTML),
    }),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.isee,
      'ISEE',
      19.9,
      campi(
        campo('NOME', 'testo', 'Inserisci il nome del dichiarante', { ordine: 1 }),
        campo('COGNOME', 'testo', 'Inserisci il cognome del dichiarante', { ordine: 2 }),
        campo(
          'CODICE FISCALE DICHIARANTE',
          'codice_fiscale_persona_fisica',
          'Codice fiscale di chi firma la DSU',
          {
            ordine: 3,
          },
        ),
        campo('EMAIL', 'email', T.email, { ordine: 4 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 5 }),
        campo(
          'COMPONENTI NUCLEO FAMILIARE',
          'testo',
          'Nome, cognome e codice fiscale di ogni componente del nucleo, separati da punto e virgola',
          { ordine: 6 },
        ),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 7 }),
        campo(
          'CONTRATTO DI LOCAZIONE',
          'file',
          'Contratto di affitto registrato, solo se il nucleo vive in affitto',
          {
            ordine: 9,
            optional: true,
          },
        ),
        campo(
          'GIACENZE MEDIE E SALDI AL 31/12',
          'file',
          'Estratti conto o attestazioni della banca per ogni rapporto finanziario del nucleo, in un unico PDF',
          { ordine: 8 },
        ),
        campo(
          'TARGHE VEICOLI',
          'testo',
          'Targhe di auto e moto intestate ai componenti, separate da virgola',
          {
            ordine: 10,
            optional: true,
          },
        ),
        campo('NOTE', 'testo', T.note, { optional: true }),
      ),
      '$0 && $1 && $2 && $3 && $4 && $5 && $6 && $8',
      { opzioni: [{ tipo: 'urgenza', prezzo: 5, nome: 'opzione_0' }], istruzioni: b64(ISEE_HTML) },
    ),
    outputs: [
      { name: 'dsu.pdf', title: 'Dichiarazione Sostitutiva Unica' },
      { name: 'attestazione_isee.pdf', title: 'Attestazione ISEE' },
    ],
  },
  {
    detail: patronato(
      H.naspi,
      'NASPI',
      24.4,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        // An IBAN type the app does not know: it must fall back to a text input.
        campo('IBAN', 'iban', T.iban, { ordine: 5 }),
        campo('DATA CESSAZIONE RAPPORTO DI LAVORO', 'data_iso8601', T.data, { ordine: 6 }),
        campo(
          'LETTERA DI LICENZIAMENTO',
          'file',
          'Lettera di licenziamento o comunicazione di fine contratto',
          {
            ordine: 7,
            optional: true,
          },
        ),
        campo('ULTIME BUSTE PAGA', 'file', 'Ultime tre buste paga, in un unico PDF', {
          ordine: 8,
          optional: true,
        }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 9 }),
        campo(MANDATO, 'file', T.mandato, { ordine: 10, optional: true }),
      ),
      '$0 && $1 && $2 && $3 && $4 && $5 && $6 && ($7 || $8) && $9',
      { opzioni: [URGENZA], istruzioni: b64(NASPI_HTML) },
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.singolo730,
      '730 Singolo',
      25.7,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 5 }),
        campo('CERTIFICAZIONE UNICA (CU)', 'file', 'Caricare la Certificazione Unica dell`anno d`imposta', {
          ordine: 6,
        }),
        campo(
          'SPESE DETRAIBILI',
          'file',
          'Scontrini, fatture mediche e ricevute delle spese, in un unico PDF',
          {
            ordine: 7,
            optional: true,
          },
        ),
        campo(
          'DICHIARAZIONE ANNO PRECEDENTE',
          'file',
          '730 o Redditi PF dell`anno precedente, se presentato',
          {
            optional: true,
          },
        ),
        campo(
          'SOSTITUTO D`IMPOSTA',
          'denominazione',
          'Denominazione del datore di lavoro o ente pensionistico che farà da sostituto d`imposta',
          { ordine: 8 },
        ),
        campo(MANDATO, 'file', T.mandato, { ordine: 9 }),
      ),
      '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $9 && $10) || ($0 && $1 && $2 && $3 && $4 && $5 && $6 && $9)',
      { istruzioni: b64(DICHIARAZIONE_730_HTML), fornitori: [] },
    ),
    outputs: [
      { name: '730.pdf', title: 'Modello 730 trasmesso' },
      { name: '730-3_prospetto_liquidazione.pdf', title: 'Prospetto di liquidazione (730-3)' },
      { name: 'ricevuta_trasmissione.pdf', title: 'Ricevuta di trasmissione all`Agenzia delle Entrate' },
    ],
  },
  {
    detail: patronato(
      H.dimissioni,
      'DIMISSIONI VOLONTARIE',
      12,
      campi(
        campo('NOME', 'testo', T.nome, { ordine: 1 }),
        campo('COGNOME', 'testo', T.cognome, { ordine: 2 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 3 }),
        campo('EMAIL', 'email', T.email, { ordine: 4 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 5 }),
        campo(
          'DATA DECORRENZA DIMISSIONI',
          'data_iso8601',
          'Primo giorno in cui non si lavora più (gg-mm-aaaa)',
          {
            ordine: 6,
          },
        ),
        campo(
          'CODICE FISCALE DATORE DI LAVORO',
          'codice_fiscale',
          'Codice fiscale o partita IVA dell`azienda',
          {
            ordine: 7,
          },
        ),
        campo('PEC DATORE DI LAVORO', 'email', 'Indirizzo PEC dell`azienda, se noto', {
          ordine: 8,
          optional: true,
        }),
        campo(
          'TIPO DI CONTRATTO',
          'select_tipo_contratto',
          'Tipo di rapporto di lavoro da cui ci si dimette',
          {
            ordine: 9,
            opzioni: 'tempo indeterminato;tempo determinato;apprendistato;lavoro domestico',
          },
        ),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 10 }),
      ),
      // Stray spaces and a missing space around && are on purpose: the API sends such text.
      ' $0 && $1 &&  $2 && $3&&$4 && $5 && $6 && $8 && $9 ',
      { opzioni: null, istruzioni: b64(DIMISSIONI_HTML) },
    ),
    outputs: [
      { name: 'ricevuta_dimissioni.pdf', title: 'Ricevuta di trasmissione delle dimissioni' },
      { name: 'modulo_dimissioni.pdf', title: 'Modulo telematico di dimissioni volontarie' },
    ],
  },
  {
    detail: patronato(
      H.assegnoUnico,
      'Domanda Assegno Unico',
      9.9,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo(
          'CODICI FISCALI DEI FIGLI',
          'testo',
          'Codice fiscale di ogni figlio a carico, separati da virgola',
          { ordine: 5 },
        ),
        campo('IBAN', 'iban', T.iban, { ordine: 6 }),
        campo('STATO CIVILE', 'select_stato_civile', 'Stato civile del richiedente', {
          ordine: 7,
          opzioni: 'celibe/nubile;coniugato/a;vedovo/a;divorziato/a',
        }),
        campo(
          'CODICE FISCALE ALTRO GENITORE',
          'codice_fiscale_persona_fisica',
          'Solo se l`altro genitore fa parte del nucleo',
          { ordine: 8, optional: true },
        ),
        campo('ATTESTAZIONE ISEE', 'file', 'ISEE in corso di validità; senza ISEE spetta l`importo minimo', {
          ordine: 9,
          optional: true,
        }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 10 }),
      ),
      '$0 && $1 && $2 && $3 && $4 && $5 && $6 && $7 && $10',
      { opzioni: [URGENZA] },
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.invalidita,
      'Richiesta assegno invalidità (con accompagno e senza)',
      35,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo(
          'NUMERO CERTIFICATO MEDICO INTRODUTTIVO',
          'testo',
          'Codice del certificato telematico rilasciato dal medico certificatore',
          { ordine: 5, optional: true },
        ),
        campo('CERTIFICATO MEDICO', 'file', 'Copia del certificato medico introduttivo', {
          ordine: 6,
          optional: true,
        }),
        campo('VERBALE DI INVALIDITÀ', 'file', 'Ultimo verbale della commissione medica, se presente', {
          ordine: 7,
          optional: true,
        }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 8 }),
        campo(COPIA_CF, 'file', T.cfCard, { ordine: 9 }),
        campo(MANDATO, 'file', T.mandato, { ordine: 10, optional: true }),
        campo('NOTE', 'testo', T.note, { optional: true }),
      ),
      '$0 && $1 && $2 && $3 && $4 && ($5 || $6) && $8 && $9',
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.vecchiaia,
      'Pensione di vecchiaia',
      49.9,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo('DATA CESSAZIONE ATTIVITÀ LAVORATIVA', 'data_iso8601', T.data, { ordine: 5, optional: true }),
        campo('IBAN', 'iban', T.iban, { ordine: 6 }),
        campo('ESTRATTO CONTRIBUTIVO', 'file', 'Estratto conto contributivo aggiornato, se disponibile', {
          ordine: 7,
          optional: true,
        }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 8 }),
        campo(COPIA_CF, 'file', T.cfCard, { ordine: 9 }),
        campo(MANDATO, 'file', T.mandato, { ordine: 10 }),
      ),
      '($0 && $1 && $2 && $3 && $4 && $6 && $8 && $9 && $10) || ($0 && $1 && $2 && $3 && $4 && $6 && $8 && $9)',
      {
        opzioni: [
          { tipo: 'urgenza', prezzo: 8, nome: 'opzione_0' },
          { tipo: 'assistenza_dedicata', prezzo: 15.5, nome: 'opzione_1' },
        ],
      },
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.estrattoContributivo,
      'Estratto Contributivo',
      8.5,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('Email', 'email', T.email, { ordine: 3 }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 4 }),
        campo('DELEGA FIRMATA', 'file', 'Delega alla consultazione della posizione assicurativa, firmata', {
          ordine: 5,
        }),
      ),
      '$0 && $1 && $2 && $3 && $4 && $5',
      { opzioni: null },
    ),
    outputs: [{ name: 'estratto_conto_contributivo.pdf', title: 'Estratto conto contributivo INPS' }],
  },
  {
    detail: patronato(
      H.maternita,
      'Indennità di Maternità',
      18.6,
      campi(
        campo('Nome', 'testo', 'Inserisci il nome della richiedente'),
        campo('COGNOME', 'testo', 'Inserisci il cognome della richiedente', { ordine: 1 }),
        campo(
          'CODICE FISCALE',
          'codice_fiscale_persona_fisica',
          'Inserire il codice fiscale della richiedente',
          {
            ordine: 2,
          },
        ),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo('DATA PRESUNTA DEL PARTO', 'data_iso8601', T.data, { ordine: 5 }),
        campo(
          'PROTOCOLLO CERTIFICATO DI GRAVIDANZA',
          'testo',
          'Numero di protocollo del certificato medico di gravidanza trasmesso all`INPS',
          { ordine: 6 },
        ),
        campo('CODICE FISCALE DATORE DI LAVORO', 'codice_fiscale', 'Solo per le lavoratrici dipendenti', {
          ordine: 7,
          optional: true,
        }),
        campo('IBAN', 'iban', T.iban, { ordine: 8 }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 9 }),
        campo(COPIA_CF, 'file', T.cfCard, { ordine: 10 }),
        campo(MANDATO, 'file', T.mandato, { ordine: 11 }),
      ),
      '($0 && $1 && $2 && $3 && $4 && $5 && $6 && $8 && $9 && $10 && $11) || ($0 && $1 && $2 && $3 && $4 && $5 && $6 && $8 && $9 && $10)',
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    detail: patronato(
      H.matrimonio,
      'Certificato di matrimonio',
      7.5,
      campi(
        campo('NOME', 'testo', 'Nome di uno dei coniugi', { ordine: 1 }),
        campo('COGNOME', 'testo', 'Cognome di uno dei coniugi', { ordine: 2 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', 'Codice fiscale dello stesso coniuge', {
          ordine: 3,
          optional: true,
        }),
        campo('NOME E COGNOME ALTRO CONIUGE', 'testo', 'Nome e cognome dell`altro coniuge', {
          ordine: 4,
          optional: true,
        }),
        campo('DATA MATRIMONIO', 'data_iso8601', T.data, { ordine: 5 }),
        campo(
          'CODICE COMUNE MATRIMONIO',
          'cod_comune',
          'Codice catastale (Belfiore) del comune in cui è stato celebrato o trascritto il matrimonio, es. H501 per Roma',
          { ordine: 6 },
        ),
        campo('PROVINCIA', 'cod_provincia', 'Sigla della provincia del comune, es. RM', { ordine: 7 }),
        campo('EMAIL', 'email', 'Indirizzo email a cui inviare il certificato', { ordine: 8 }),
      ),
      '$0 && $1 && ($2 || $3) && $4 && $5 && $6 && $7',
      { opzioni: [{ tipo: 'urgenza', prezzo: 3, nome: 'opzione_0' }] },
    ),
    outputs: [{ name: 'certificato_matrimonio.pdf', title: 'Certificato di matrimonio' }],
  },
  {
    detail: patronato(
      H.residenza,
      'Certificato di residenza anagrafica',
      6,
      campi(
        campo('NOME', 'testo', T.nome, { ordine: 1 }),
        campo('COGNOME', 'testo', T.cognome, { ordine: 2 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 3 }),
        campo(
          'CODICE COMUNE DI RESIDENZA',
          'cod_comune',
          'Codice catastale (Belfiore) del comune di residenza, es. F205 per Milano',
          { ordine: 4 },
        ),
        campo('USO DEL CERTIFICATO', 'select_uso', 'In bollo o in esenzione (indicare la norma)', {
          opzioni: 'bollo;esente',
          optional: true,
        }),
      ),
      '$0 &&$1&& $2 && $3',
      { opzioni: null },
    ),
    outputs: [{ name: 'certificato_residenza.pdf', title: 'Certificato di residenza anagrafica' }],
  },
  {
    detail: patronato(
      H.legge104,
      'Indennità per congedi straordinari (legge 104)',
      22.5,
      campi(
        campo('Nome', 'testo', T.nome),
        campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
        campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
        campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
        campo('Email', 'email', T.email, { ordine: 4 }),
        campo(
          'CODICE FISCALE FAMILIARE DISABILE',
          'codice_fiscale_persona_fisica',
          'Codice fiscale della persona assistita',
          { ordine: 5 },
        ),
        campo('GRADO DI PARENTELA', 'select_parentela', 'Rapporto con la persona assistita', {
          ordine: 6,
          opzioni:
            'coniuge;parte unione civile;convivente di fatto;genitore;figlio/a;fratello/sorella;parente o affine entro il terzo grado',
        }),
        campo('VERBALE LEGGE 104 ART. 3 C. 3', 'file', 'Verbale che riconosce la disabilità grave', {
          ordine: 7,
        }),
        campo('DATA INIZIO CONGEDO', 'data_iso8601', T.data, { ordine: 8 }),
        campo('DATA FINE CONGEDO', 'data_iso8601', T.data, { ordine: 9 }),
        campo(DOC_IDENTITA, 'file', T.documento, { ordine: 10 }),
        campo(MANDATO, 'file', T.mandato, { optional: true }),
      ),
      '$0 && $1 && $2 && $3 && $4 && $5 && $6 && $7 && $8 && $9 && $10',
      { istruzioni: b64(LEGGE_104_HTML) },
    ),
    outputs: [RICEVUTA, DOMANDA_INPS],
  },
  {
    // Exactly the spec's GET /visure/{hash} example, trailing spaces included.
    detail: {
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
        istruzioni:
          'PHA+UGVyIHJpY2hpZWRlcmUgbGEgVmlzdXJhIENhbWVyYWxlIE9yZGluYXJpYSAtIFNvY2lldCZhZ3JhdmU7IGRpIENhcGl0YWxlIGluc2VyaXNjaSBpIHNlZ3VlbnRpIGRhdGk6Jm5ic3A7Jm5ic3A7PHN0cm9uZz5OcmVhPC9zdHJvbmc+Jm5ic3A7ZSA8c3Ryb25nPkNjaWFhPC9zdHJvbmc+PC9wPg0K',
        istruzioni_ricerca: '',
      },
      hash_visura: H.cameraleCapitale,
      prezzo_visura: 4.9,
      prezzo_ricerca: 0,
      sincrona: false,
      opzioni: null,
    },
    outputs: [{ name: 'visura_camerale.pdf', title: 'Visura camerale ordinaria' }],
  },
  {
    /*
     * The one service with a search step. Not one of the "con Ricerca" entries of the list:
     * their hashes are not hexadecimal, and a search flow should be testable end to end.
     */
    detail: {
      nome_visura: 'Visura Camerale Ordinaria - società di Persone',
      nome_categoria: 'Camerali',
      hash_visura: H.cameralePersone,
      ricerca: true,
      sincrona: false,
      prezzo_visura: 4.78,
      prezzo_ricerca: 0.38,
      opzioni: null,
      json_struttura: {
        campi: {
          $0: {
            nome: 'Denominazione/Ragione Sociale',
            tipo: 'denominazione',
            null: true,
            istruzioni: 'Inserire la denominazione o parte di essa',
          },
          $1: {
            nome: 'Partita Iva o Codice Fiscale',
            tipo: 'partita_iva',
            null: true,
            istruzioni: "Inserire la partita IVA o il codice fiscale dell'impresa",
          },
        },
        validazione: '$0 || $1',
        istruzioni: b64(CAMERALE_RICERCA_HTML),
        istruzioni_ricerca: b64(CAMERALE_RICERCA_ISTRUZIONI_RICERCA_HTML),
      },
    },
    outputs: [{ name: 'visura_camerale.pdf', title: 'Visura camerale ordinaria' }],
    search: { results: COMPANIES, find: findCompanies },
  },
];

export const SERVICE_DETAILS: Record<string, SimServiceEntry> = Object.fromEntries(
  ENTRIES.map((e) => [e.detail.hash_visura, e]),
);

// ---------------------------------------------------------------------------------------------
// Synthesised details for the rest of the list.

/** FNV-1a: a stable number from a hash string, which may not be hexadecimal. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A price in 5.00–40.00 €, in cents; whole euros come out as integers, as the API sends them. */
function priceFor(hash: string): number {
  return (500 + (fnv1a(hash) % 3501)) / 100;
}

function slug(nome: string): string {
  return (
    nome
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'documento'
  );
}

function synthPatronato(item: CatalogListItem, seed: number): SimServiceEntry {
  const fields = campi(
    campo('Nome', 'testo', T.nome),
    campo('COGNOME', 'testo', T.cognome, { ordine: 1 }),
    campo('CODICE FISCALE', 'codice_fiscale_persona_fisica', T.cf, { ordine: 2 }),
    campo('CELLULARE', 'testo', T.cellulare, { ordine: 3 }),
    campo('Email', 'email', T.email, { ordine: 4 }),
    campo(DOC_IDENTITA, 'file', T.documento, { ordine: 5 }),
    campo(MANDATO, 'file', T.mandato, { ordine: 6, optional: true }),
  );
  return {
    detail: patronato(
      item.hash_visura,
      item.nome_visura,
      priceFor(item.hash_visura),
      fields,
      allOf(range(0, 5)),
      {
        opzioni: seed % 3 === 0 ? null : seed % 3 === 1 ? [URGENZA] : [URGENZA, ASSISTENZA],
      },
    ),
    outputs: [RICEVUTA, { name: `${slug(item.nome_visura)}.pdf`, title: item.nome_visura }],
  };
}

function synthCamerali(item: CatalogListItem): SimServiceEntry {
  // Services about a person are looked up by codice fiscale, not by the company's REA number.
  const byPerson = /persona fisica|persona$/i.test(item.nome_visura.trim());
  const fields = byPerson
    ? campi(campo('Codice Fiscale', 'codice_fiscale', 'Inserire il codice fiscale del soggetto'))
    : campi(
        campo('NRea', 'denominazione', "Inserire il Numero di Rea dell'azienda"),
        campo('Cciaa', 'cod_provincia', "Inserire la sigla della Cciaa dell'azienda (es. RM)", { ordine: 1 }),
      );
  return {
    detail: {
      nome_visura: item.nome_visura,
      nome_categoria: item.nome_categoria,
      hash_visura: item.hash_visura,
      ricerca: false,
      sincrona: false,
      prezzo_visura: priceFor(item.hash_visura),
      prezzo_ricerca: 0,
      opzioni: null,
      json_struttura: {
        campi: fields,
        validazione: byPerson ? '$0' : '$0 && $1',
        istruzioni: '',
        istruzioni_ricerca: '',
      },
    },
    outputs: [{ name: `${slug(item.nome_visura)}.pdf`, title: item.nome_visura }],
  };
}

function synthImmobile(item: CatalogListItem): SimServiceEntry {
  const catastale = item.nome_categoria === 'Catastali';
  const fields = catastale
    ? campi(
        campo('CODICE FISCALE INTESTATARIO', 'codice_fiscale', 'Codice fiscale di uno degli intestatari', {
          ordine: 1,
        }),
        campo('COMUNE', 'cod_comune', 'Codice catastale (Belfiore) del comune, es. H501', { ordine: 2 }),
        campo('FOGLIO', 'testo', 'Foglio di mappa', { ordine: 3 }),
        campo('PARTICELLA', 'testo', 'Numero di particella', { ordine: 4 }),
        campo('SUBALTERNO', 'testo', 'Subalterno, se presente', { ordine: 5, optional: true }),
      )
    : campi(
        campo('INDIRIZZO', 'testo', 'Via e numero civico dell`immobile', { ordine: 1 }),
        campo('COMUNE', 'cod_comune', 'Codice catastale (Belfiore) del comune, es. H501', { ordine: 2 }),
        campo('PROVINCIA', 'cod_provincia', 'Sigla della provincia, es. RM', { ordine: 3 }),
      );
  return {
    detail: {
      nome_visura: item.nome_visura,
      nome_categoria: item.nome_categoria,
      hash_visura: item.hash_visura,
      ricerca: false,
      sincrona: false,
      prezzo_visura: priceFor(item.hash_visura),
      prezzo_ricerca: 0,
      opzioni: null,
      json_struttura: {
        campi: fields,
        validazione: catastale ? '$0 && $1 && $2 && $3' : '$0 && $1 && $2',
        istruzioni: '',
        istruzioni_ricerca: '',
      },
    },
    outputs: [{ name: `${slug(item.nome_visura)}.pdf`, title: item.nome_visura }],
  };
}

function synthesise(item: CatalogListItem): SimServiceEntry {
  switch (item.nome_categoria) {
    case 'Patronato':
      return synthPatronato(item, fnv1a(item.hash_visura));
    case 'Camerali':
      return synthCamerali(item);
    default:
      return synthImmobile(item);
  }
}

const LIST_BY_HASH = new Map(CATALOG_LIST.map((item) => [item.hash_visura, item]));

/**
 * The detail of a service of the list, or null for an unknown hash. A copy each time, so a
 * caller that changes it (e.g. a test raising a price) cannot leak into the next answer.
 */
export function detailFor(hash: string): SimServiceEntry | null {
  const explicit = SERVICE_DETAILS[hash];
  if (explicit) {
    const copy: SimServiceEntry = {
      detail: structuredClone(explicit.detail),
      outputs: explicit.outputs.map((o) => ({ ...o })),
    };
    if (explicit.search) copy.search = explicit.search;
    return copy;
  }
  const item = LIST_BY_HASH.get(hash);
  return item ? synthesise(item) : null;
}
