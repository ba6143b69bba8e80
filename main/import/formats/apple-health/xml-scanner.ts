/**
 * A purpose-built, streaming scanner for Apple Health's export.xml. A general XML parser in JavaScript
 * builds an object per node and is several times slower than the file demands (exports of several GB are
 * normal); this one walks the text with indexOf, builds attributes only for the elements and record types
 * the caller asks for (and of those only the attributes it names, recognised in place without slicing
 * their names out), and still checks what makes a file well-formed enough to trust: tags terminated,
 * quotes closed, elements properly nested and closed, one root, no text outside elements (Apple writes
 * none), known entities only (the five XML ones and character references). It is not a validating XML
 * parser: an internal DTD subset is skipped, not applied (Apple's declares no entities). A scan may start
 * at a boundary between elements in the middle of a document (`openElements`, `boundary()`), so that a
 * large export can be read in parts.
 */

export class XmlError extends Error {
  override name = 'XmlError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Raw attribute values, entities not yet decoded: read them with attributeText(). */
export type Attributes = Record<string, string>;

export class EntityError extends Error {
  override name = 'EntityError';
}

/** An attribute's text with its entities decoded; throws EntityError for an undeclared entity. */
export function attributeText(raw: string | undefined): string | undefined {
  if (raw === undefined || !raw.includes('&')) return raw;
  const decoded = decodeEntities(raw);
  if (decoded === undefined) throw new EntityError(`an unknown "&" entity in "${raw.slice(0, 80)}"`);
  return decoded;
}

export interface ScannerHandler {
  /** The root element's name, before anything else is reported. Throw to refuse the document. */
  root(name: string, line: number): void;
  /**
   * An element of interest opened. `attributes` is undefined for a Record whose type is not wanted.
   * `line()` computes the element's line only when asked (it costs a scan of the chunk).
   */
  start(name: string, attributes: Attributes | undefined, selfClosing: boolean, line: () => number): void;
  /** An element of interest closed (not called for self-closing ones). */
  end(name: string): void;
}

export interface ScannerOptions {
  /** Elements reported to the handler; all others are checked and skipped. */
  elements: ReadonlySet<string>;
  /** Record types whose attributes are decoded; other Records are reported without attributes. */
  recordTypes: ReadonlySet<string>;
  /** The attributes kept for the caller (all when absent); the others are checked and skipped. */
  attributes?: ReadonlySet<string>;
  /**
   * Elements already open where scanning starts, outermost first (e.g. ['HealthData']): the scanner
   * starts in the middle of a document, at a boundary between its elements (see boundary()). The root is
   * taken as seen (handler.root is not called) and lines count from 1 at the first character pushed.
   * Their ends are reported as usual; an empty list is a document's start.
   */
  openElements?: readonly string[];
}

/** Where a scanner stands between two pushes, for a scan of the rest of the document to start from. */
export interface ScannerBoundary {
  /** The elements open, outermost first. */
  open: readonly string[];
  /** Characters of an incomplete construct kept for the next push (0 at a boundary between elements). */
  pendingChars: number;
  /** The line of the first pending character: where the next push's text continues. */
  line: number;
}

/** Text longer than this without a complete tag is not an export; refusing keeps memory bounded. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;
/**
 * Apple nests five elements deep at most (HealthData, Record, HeartRateVariabilityMetadataList,
 * InstantaneousBeatsPerMinute); a file nested deeper is not an export, and the open elements of one that
 * only opens them would fill memory.
 */
export const MAX_DEPTH = 64;

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the XML entities of an attribute value; undefined when it holds an undeclared one. */
export function decodeEntities(raw: string): string | undefined {
  let ok = true;
  const decoded = raw.replace(
    ENTITY,
    (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (named) return NAMED[named] ?? '';
      const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        ok = false;
        return '';
      }
      return String.fromCodePoint(code);
    },
  );
  // A "&" left once every recognised reference is removed is a bare or undeclared one.
  if (!ok || raw.replace(ENTITY, '').includes('&')) return undefined;
  return decoded;
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/** Characters that end a name: space, "/", ">", "=", quotes, "<". */
const isNameEnd = (c: number): boolean =>
  c === 32 ||
  c === 10 ||
  c === 9 ||
  c === 13 ||
  c === 47 ||
  c === 62 ||
  c === 61 ||
  c === 34 ||
  c === 39 ||
  c === 60;

const NEED_MORE = -1;

/** Whether s[from, to) is "type", compared in place. */
const isType = (s: string, from: number, to: number): boolean =>
  to - from === 4 &&
  s.charCodeAt(from) === 116 &&
  s.charCodeAt(from + 1) === 121 &&
  s.charCodeAt(from + 2) === 112 &&
  s.charCodeAt(from + 3) === 101;

/**
 * The rest of a start tag whose attributes are not wanted (most of an export: energy, distance,
 * metadata), checked in one native pass: attributes separated by white space, each a name, "=" and a
 * quoted value, then ">" or "/>". What it does not match (a tag cut by the chunk's end, or one the
 * character-by-character path must explain) goes that slower path.
 */
const REST_OF_SKIPPED_TAG =
  /(?:[ \t\r\n]+[^ \t\r\n/>="'<]+[ \t\r\n]*=[ \t\r\n]*(?:"[^"]*"|'[^']*'))*[ \t\r\n]*(\/?)>/y;

/** Strings grouped by length, to find one in the text without slicing it out. */
type ByLength = readonly (readonly string[] | undefined)[];

function byLength(strings: Iterable<string>): ByLength {
  const groups: string[][] = [];
  for (const string of strings) (groups[string.length] ??= []).push(string);
  return groups;
}

/**
 * The one of `strings` that s[from, to) spells, or undefined. Compared in place, so a string found costs
 * no new one to hash (for a set, as an object's key), and from its end, where Apple's names differ (all
 * record types start "HK...TypeIdentifier"). By hand: a call to startsWith costs more for short strings.
 */
function inPlace(strings: ByLength, s: string, from: number, to: number): string | undefined {
  const candidates = strings[to - from];
  if (!candidates) return undefined;
  next: for (const candidate of candidates) {
    for (let k = candidate.length - 1; k >= 0; k--) {
      if (candidate.charCodeAt(k) !== s.charCodeAt(from + k)) continue next;
    }
    return candidate;
  }
  return undefined;
}

export class HealthXmlScanner {
  private pending = '';
  /** Line number of the first character of `pending`. */
  private pendingLine = 1;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  /** The line counted up to `countedTo` in the current text, so repeated line() calls stay cheap. */
  private countedTo = 0;
  private countedLine = 1;
  private text = '';

  /** The kept attribute names by length (undefined when all are kept), matched in place, unsliced. */
  private readonly keptByLength: ByLength | undefined;
  /** The wanted record types by length, matched in place. */
  private readonly recordTypesByLength: ByLength;

  constructor(
    private readonly handler: ScannerHandler,
    private readonly options: ScannerOptions,
  ) {
    if (options.openElements && options.openElements.length > 0) {
      this.stack.push(...options.openElements);
      this.rootSeen = true;
    }
    this.recordTypesByLength = byLength(options.recordTypes);
    if (options.attributes) this.keptByLength = byLength(options.attributes);
  }

  /** Scans a piece of the document; an incomplete construct at its end waits for the next piece. */
  push(piece: string): void {
    // Joined, not added: "+" makes a rope whose every charCodeAt costs an indirection (about 1.6 times the
    // time in the loops below); join copies into one flat string, as flattening the rope would anyway.
    const s = this.pending.length > 0 ? [this.pending, piece].join('') : piece;
    this.text = s;
    this.countedTo = 0;
    this.countedLine = this.pendingLine;
    const consumed = this.scan(s);
    // Lines of the consumed part move into pendingLine before it is dropped.
    this.pendingLine = this.lineAt(consumed);
    this.pending = s.slice(consumed);
    if (this.pending.length > MAX_PENDING_CHARS) {
      throw new XmlError('A tag never ends (the file is damaged or not XML).', this.pendingLine);
    }
  }

  /** Where the scan stands: the open elements, what waits for the next push, and its line. */
  boundary(): ScannerBoundary {
    return { open: [...this.stack], pendingChars: this.pending.length, line: this.pendingLine };
  }

  /** The document is complete: anything left open means it was cut short. */
  end(): void {
    if (this.pending.trim().length > 0) {
      throw new XmlError('The file ends inside a tag: it is cut short.', this.pendingLine);
    }
    if (!this.rootSeen) throw new XmlError('The file holds no XML element.', this.pendingLine);
    if (this.stack.length > 0) {
      throw new XmlError(
        `The file ends before <${this.stack[this.stack.length - 1] ?? ''}> is closed: it is cut short.`,
        this.pendingLine,
      );
    }
  }

  private lineAt(pos: number): number {
    const s = this.text;
    let line = this.countedLine;
    let i = this.countedTo;
    if (pos < i) {
      i = 0;
      line = this.pendingLine;
    }
    for (let nl = s.indexOf('\n', i); nl !== -1 && nl < pos; nl = s.indexOf('\n', nl + 1)) line++;
    this.countedTo = pos;
    this.countedLine = line;
    return line;
  }

  private fail(message: string, pos: number): never {
    throw new XmlError(message, this.lineAt(pos));
  }

  /** Returns how far it got; everything after that is an incomplete construct. */
  private scan(s: string): number {
    let pos = 0;
    const n = s.length;
    for (;;) {
      // Only white space may come before the next "<": the first other character is that "<" or a fault.
      let lt = pos;
      while (lt < n && isSpace(s.charCodeAt(lt))) lt++;
      if (lt === n) return n;
      if (s.charCodeAt(lt) !== 60) {
        this.fail(
          this.rootClosed
            ? 'Text after the end of the document.'
            : 'Text where only tags belong: this is not a well-formed export.',
          lt,
        );
      }
      if (lt + 1 >= n) return lt;
      const c = s.charCodeAt(lt + 1);
      let next: number;
      if (c === 47) next = this.endTag(s, lt);
      else if (c === 63) next = this.skipUntil(s, lt, '?>');
      else if (c === 33) next = this.declaration(s, lt);
      else next = this.startTag(s, lt);
      if (next === NEED_MORE) return lt;
      pos = next;
    }
  }

  private skipUntil(s: string, lt: number, terminator: string): number {
    const end = s.indexOf(terminator, lt + 2);
    return end === -1 ? NEED_MORE : end + terminator.length;
  }

  private declaration(s: string, lt: number): number {
    if (s.length < lt + 9) return NEED_MORE;
    if (s.startsWith('<!--', lt)) return this.skipUntil(s, lt, '-->');
    if (s.startsWith('<![CDATA[', lt)) this.fail('Character data where only tags belong.', lt);
    if (s.startsWith('<!DOCTYPE', lt)) {
      if (this.rootSeen) this.fail('A DOCTYPE inside the document.', lt);
      // An internal subset "[ ... ]" may contain ">" in its declarations; it ends at "]" then ">".
      const gt = s.indexOf('>', lt);
      const bracket = s.indexOf('[', lt);
      if (bracket !== -1 && (gt === -1 || bracket < gt)) {
        const close = s.indexOf(']', bracket);
        if (close === -1) return NEED_MORE;
        const end = s.indexOf('>', close);
        return end === -1 ? NEED_MORE : end + 1;
      }
      return gt === -1 ? NEED_MORE : gt + 1;
    }
    this.fail('An unknown markup declaration.', lt);
  }

  private endTag(s: string, lt: number): number {
    const gt = s.indexOf('>', lt);
    if (gt === -1) return NEED_MORE;
    const name = s.slice(lt + 2, gt).trimEnd();
    const open = this.stack.pop();
    if (open === undefined) this.fail(`A closing </${name}> with nothing open.`, lt);
    if (open !== name) this.fail(`<${open}> is closed by </${name}>.`, lt);
    if (this.options.elements.has(name)) this.handler.end(name);
    if (this.stack.length === 0) this.rootClosed = true;
    return gt + 1;
  }

  private startTag(s: string, lt: number): number {
    const n = s.length;
    let i = lt + 1;
    while (i < n && !isNameEnd(s.charCodeAt(i))) i++;
    if (i >= n) return NEED_MORE;
    if (i === lt + 1) this.fail('A "<" that starts no tag.', lt);
    const name = s.slice(lt + 1, i);
    if (this.rootClosed) this.fail(`<${name}> after the end of the document.`, lt);
    const interesting = this.options.elements.has(name);
    if (!interesting) {
      const end = this.skipAttributes(s, name, i, lt);
      if (end !== NEED_MORE) return end;
    }
    let attributes: Attributes | undefined = interesting ? {} : undefined;
    let first = true;
    // The first "<" after the tag's own: a value read must end before it (one search per tag, not per value).
    let nextLt = lt;
    for (;;) {
      const before = i;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return NEED_MORE;
      const c = s.charCodeAt(i);
      if (c === 62 || c === 47) {
        let selfClosing = false;
        if (c === 47) {
          if (i + 1 >= n) return NEED_MORE;
          if (s.charCodeAt(i + 1) !== 62) this.fail(`A "/" inside the <${name}> tag.`, i);
          selfClosing = true;
          i++;
        }
        this.opened(name, attributes, selfClosing, lt);
        return i + 1;
      }
      if (i === before) this.fail(`Attributes of <${name}> run together.`, i);
      const nameStart = i;
      while (i < n && !isNameEnd(s.charCodeAt(i))) i++;
      if (i >= n) return NEED_MORE;
      if (i === nameStart) this.fail(`A broken attribute in <${name}> (the tag may be unterminated).`, i);
      const nameEnd = i;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return NEED_MORE;
      if (s.charCodeAt(i) !== 61) this.fail(`An attribute without a value in <${name}>.`, i);
      i++;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return NEED_MORE;
      const quote = s.charCodeAt(i);
      if (quote !== 34 && quote !== 39) this.fail(`An unquoted attribute value in <${name}>.`, i);
      const close = s.indexOf(quote === 34 ? '"' : "'", i + 1);
      if (close === -1) return NEED_MORE;
      if (attributes) {
        if (nextLt <= i) nextLt = s.indexOf('<', i + 1) >>> 0;
        if (nextLt < close) this.fail(`A "<" inside an attribute of <${name}> (an unclosed quote?).`, i);
        let raw: string | undefined;
        if (first && name === 'Record' && isType(s, nameStart, nameEnd)) {
          // The caller's own string for a wanted type: none to allocate, and it compares and looks up fast.
          raw = inPlace(this.recordTypesByLength, s, i + 1, close);
          if (raw === undefined) {
            attributes = undefined;
            const end = this.skipAttributes(s, name, close + 1, lt);
            if (end !== NEED_MORE) return end;
          }
        }
        if (attributes) {
          const attributeName = this.keptName(s, nameStart, nameEnd);
          // Kept raw: entities are decoded by attributeText() when a value is used (most are not).
          if (attributeName !== undefined) attributes[attributeName] = raw ?? s.slice(i + 1, close);
        }
      }
      first = false;
      i = close + 1;
    }
  }

  /**
   * The attribute name at s[from, to) when it is kept, else undefined. A kept name is found by comparing
   * in place: no new string to hash for the set and the object, and objects built with the same keys.
   */
  private keptName(s: string, from: number, to: number): string | undefined {
    return this.keptByLength ? inPlace(this.keptByLength, s, from, to) : s.slice(from, to);
  }

  /** The fast path for a tag whose attributes are not read; NEED_MORE sends it the slower path. */
  private skipAttributes(s: string, name: string, from: number, lt: number): number {
    REST_OF_SKIPPED_TAG.lastIndex = from;
    const match = REST_OF_SKIPPED_TAG.exec(s);
    if (!match) return NEED_MORE;
    this.opened(name, undefined, match[1] === '/', lt);
    return REST_OF_SKIPPED_TAG.lastIndex;
  }

  private opened(name: string, attributes: Attributes | undefined, selfClosing: boolean, lt: number): void {
    if (!this.rootSeen) {
      this.rootSeen = true;
      this.handler.root(name, this.lineAt(lt));
    }
    if (!selfClosing) {
      if (this.stack.length >= MAX_DEPTH) {
        this.fail(`Elements nested more than ${MAX_DEPTH} deep: this is not an export.`, lt);
      }
      this.stack.push(name);
    } else if (this.stack.length === 0) this.rootClosed = true;
    if (this.options.elements.has(name)) {
      this.handler.start(name, attributes, selfClosing, () => this.lineAt(lt));
    }
  }
}
