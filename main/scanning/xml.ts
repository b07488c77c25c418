/*
 * A small, strict XML reader for the eSCL documents (ScannerCapabilities, ScannerStatus). There is
 * no XML parser among the app's dependencies (the ones in node_modules come with the build tools
 * and are not shipped), and these documents are small and plain: elements, attributes, text. It
 * never resolves external entities nor expands custom ones — a DOCTYPE is refused outright — and
 * it limits size and depth, since a network device's answer is untrusted input.
 */

export interface XmlElement {
  /** Local name, the namespace prefix dropped: devices disagree on prefixes, never on names. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const MAX_LENGTH = 2 * 1024 * 1024;
const MAX_DEPTH = 64;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.:-]*/;

export function parseXml(source: string): XmlElement {
  if (source.length > MAX_LENGTH) throw new XmlError('documento XML troppo grande');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > i) {
      const text = source.slice(i, textEnd);
      if (stack.length) stack.at(-1)!.text += decode(text);
      else if (text.trim()) throw new XmlError('testo fuori dall’elemento radice');
    }
    if (lt < 0) break;
    if (source.startsWith('<?', lt)) {
      i = after(source, '?>', lt);
    } else if (source.startsWith('<!--', lt)) {
      i = after(source, '-->', lt);
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end < 0 || !stack.length) throw new XmlError('sezione CDATA non valida');
      stack.at(-1)!.text += source.slice(lt + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', lt)) {
      throw new XmlError('DOCTYPE e dichiarazioni non sono ammessi');
    } else if (source.startsWith('</', lt)) {
      const end = source.indexOf('>', lt);
      if (end < 0) throw new XmlError('tag di chiusura non terminato');
      const name = localName(source.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`chiusura inattesa di ${name}`);
      i = end + 1;
    } else {
      const { element, selfClosing, end } = openTag(source, lt + 1);
      if (stack.length) stack.at(-1)!.children.push(element);
      else if (root) throw new XmlError('più di un elemento radice');
      else root = element;
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > MAX_DEPTH) throw new XmlError('documento XML troppo annidato');
      }
      i = end;
    }
  }
  if (stack.length) throw new XmlError(`elemento ${stack.at(-1)!.name} non chiuso`);
  if (!root) throw new XmlError('documento XML vuoto');
  return root;
}

function openTag(source: string, start: number): { element: XmlElement; selfClosing: boolean; end: number } {
  const nameMatch = NAME.exec(source.slice(start, start + 256));
  if (!nameMatch) throw new XmlError('nome di elemento non valido');
  const element: XmlElement = { name: localName(nameMatch[0]), attributes: {}, children: [], text: '' };
  let i = start + nameMatch[0].length;
  for (;;) {
    while (/\s/.test(source[i] ?? '')) i++;
    const char = source[i];
    if (char === undefined) throw new XmlError('tag non terminato');
    if (char === '>') return { element, selfClosing: false, end: i + 1 };
    if (char === '/' && source[i + 1] === '>') return { element, selfClosing: true, end: i + 2 };
    const attr = NAME.exec(source.slice(i, i + 256));
    if (!attr) throw new XmlError('attributo non valido');
    i += attr[0].length;
    while (/\s/.test(source[i] ?? '')) i++;
    if (source[i] !== '=') throw new XmlError('attributo senza valore');
    i++;
    while (/\s/.test(source[i] ?? '')) i++;
    const quote = source[i];
    if (quote !== '"' && quote !== "'") throw new XmlError('valore di attributo senza virgolette');
    const close = source.indexOf(quote, i + 1);
    if (close < 0) throw new XmlError('valore di attributo non terminato');
    element.attributes[attr[0]] = decode(source.slice(i + 1, close));
    i = close + 1;
  }
}

function after(source: string, terminator: string, from: number): number {
  const end = source.indexOf(terminator, from);
  if (end < 0) throw new XmlError(`manca ${terminator}`);
  return end + terminator.length;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlError(`riferimento non valido ${whole}`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) throw new XmlError(`entità sconosciuta ${whole}`);
    return value;
  });
}

/** Escapes text for an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** The first descendant (depth first) with this local name. */
export function find(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) {
    if (child.name === name) return child;
    const deeper = find(child, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every descendant with this local name. */
export function findAll(element: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const child of element.children) {
    if (child.name === name) out.push(child);
    findAll(child, name, out);
  }
  return out;
}

/** The trimmed text of the first descendant with this name. */
export function textOf(element: XmlElement, name: string): string | undefined {
  return find(element, name)?.text.trim();
}
