import { describe, expect, it } from 'vitest';
import {
  HealthXmlScanner,
  XmlError,
  type Attributes,
  type ScannerOptions,
} from '../../../main/import/formats/apple-health/xml-scanner';
import { appleHealthXml } from '../../sim/home-data/apple-health';

const Q = 'HKQuantityTypeIdentifier';
const ELEMENTS = new Set(['HealthData', 'ExportDate', 'Me', 'Record', 'Correlation']);
const WANTED = new Set([`${Q}HeartRate`, `${Q}StepCount`]);
/** The attributes the Apple Health reader keeps. */
const KEPT = new Set(['type', 'unit', 'value', 'startDate', 'endDate', 'sourceName', 'device']);

type Options = Partial<ScannerOptions>;

/** What the handler hears, one line per call, or the scanner's error with its line as the last entry. */
function scan(pieces: readonly string[], options: Options = {}, end = true): string[] {
  const seen: string[] = [];
  const scanner = new HealthXmlScanner(
    {
      root: (name, line) => seen.push(`root ${name} ${line}`),
      start: (name: string, a: Attributes | undefined, selfClosing: boolean, line: () => number) =>
        seen.push(`${name} ${a ? JSON.stringify(a) : '-'}${selfClosing ? ' /' : ''} @${line()}`),
      end: (name) => seen.push(`/${name}`),
    },
    { elements: ELEMENTS, recordTypes: WANTED, attributes: KEPT, ...options },
  );
  try {
    for (const piece of pieces) scanner.push(piece);
    if (end) scanner.end();
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    seen.push(`error "${error.message}" @${error.line}`);
  }
  return seen;
}

/** The document cut into pieces of `size` characters. */
const cut = (xml: string, size: number): string[] =>
  Array.from({ length: Math.ceil(xml.length / size) }, (_, k) => xml.slice(k * size, (k + 1) * size));

describe('Apple Health XML scanner: the attributes of a record it reads', () => {
  it('reads values with white space, new lines and single quotes around "=", keeping only the asked-for names', () => {
    const xml =
      '<HealthData>\n' +
      ` <Record type = "${Q}HeartRate"\n\tsourceName\n=\n'Jane&apos;s "Watch"' sourceVersion="10.1"` +
      ` unit='count/min'  creationDate="x" startDate="s" endDate="e" value="72"/>\n` +
      '</HealthData>\n';
    expect(scan([xml])).toEqual([
      'root HealthData 1',
      'HealthData {} @1',
      `Record {"type":"${Q}HeartRate","sourceName":"Jane&apos;s \\"Watch\\"","unit":"count/min","startDate":"s","endDate":"e","value":"72"} / @2`,
      '/HealthData',
    ]);
  });

  it('keeps a name only when it is exactly one asked for, not one that starts or ends like it', () => {
    const xml =
      `<HealthData><Record type="${Q}HeartRate" types="a" typ="b" unix="c" tipe="d" value="1" valueX="e"` +
      ` xvalue="f" Value="g"/></HealthData>`;
    expect(scan([xml])[2]).toBe(`Record {"type":"${Q}HeartRate","value":"1"} / @1`);
  });

  it('keeps every attribute when none are named, and the last of a repeated one, as before', () => {
    const xml = `<HealthData><Record type="${Q}HeartRate" value="1" creationDate="c" value="2"/></HealthData>`;
    expect(scan([xml], { attributes: undefined })[2]).toBe(
      `Record {"type":"${Q}HeartRate","value":"2","creationDate":"c"} / @1`,
    );
    expect(scan([xml])[2]).toBe(`Record {"type":"${Q}HeartRate","value":"2"} / @1`);
  });

  it('skips a record of a type not asked for, unless its type is not its first attribute', () => {
    const xml =
      '<HealthData>\n' +
      ` <Record type="${Q}ActiveEnergyBurned" value="1"/>\n` +
      ` <Record value="2" type="${Q}ActiveEnergyBurned"/>\n` +
      ` <Record type="${Q}StepCount" value="3"></Record>\n` +
      '</HealthData>';
    expect(scan([xml])).toEqual([
      'root HealthData 1',
      'HealthData {} @1',
      'Record - / @2',
      `Record {"value":"2","type":"${Q}ActiveEnergyBurned"} / @3`,
      `Record {"type":"${Q}StepCount","value":"3"} @4`,
      '/Record',
      '/HealthData',
    ]);
  });

  it('reads a type only when it is exactly one asked for, to its first letter, and raw', () => {
    const record = (type: string): string =>
      scan([`<HealthData><Record type="${type}" value="1"/></HealthData>`])[2] ?? '';
    expect(record(`${Q}HeartRate`)).toBe(`Record {"type":"${Q}HeartRate","value":"1"} / @1`);
    // Same length, differing only at one end or the other; an entity is not decoded to match.
    expect(record(`X${Q.slice(1)}HeartRate`)).toBe('Record - / @1');
    expect(record(`${Q}HeartRatE`)).toBe('Record - / @1');
    expect(record(`${Q}HeartRat`)).toBe('Record - / @1');
    expect(record(`&#72;${Q.slice(1)}HeartRate`)).toBe('Record - / @1');
  });

  it('refuses a "<" inside any value of a record it reads, even one it does not keep, at the line of the value', () => {
    const inKept = `<HealthData>\n<Record type="${Q}HeartRate"\n value="<7"/>\n</HealthData>`;
    const inSkippedName = `<HealthData>\n<Record type="${Q}HeartRate" unit="x"\n\n creationDate="a<b"/></HealthData>`;
    const message = 'error "A "<" inside an attribute of <Record> (an unclosed quote?)."';
    expect(scan([inKept]).at(-1)).toBe(`${message} @3`);
    expect(scan([inSkippedName]).at(-1)).toBe(`${message} @4`);
    // A record of a type not read is checked for its syntax only, as before.
    expect(scan([inKept.replace('HeartRate', 'ActiveEnergyBurned')]).at(-1)).toBe('/HealthData');
  });

  it('refuses an unclosed quote that runs into the next tag, at the line where the value opens', () => {
    const xml = appleHealthXml(
      ` <Record type="${Q}HeartRate" unit="count/min value="72"/>\n` +
        ` <Record type="${Q}HeartRate" unit="count/min" value="73"/>\n`,
    );
    const line = xml.split('\n').findIndex((l) => l.includes('count/min value')) + 1;
    const seen = scan([xml]);
    expect(seen.at(-1)).toBe(`error "Attributes of <Record> run together." @${line}`);
    const runsOn = xml.replace('count/min value="72"/>', 'count/min/>');
    expect(scan([runsOn]).at(-1)).toBe(
      `error "A "<" inside an attribute of <Record> (an unclosed quote?)." @${line}`,
    );
  });

  it('reads a tag cut anywhere across two pieces the same as whole', () => {
    const xml =
      '<HealthData>\n' +
      ` <Record type="${Q}HeartRate" sourceName="W" creationDate="c"\n unit = 'count/min' value="72"/>\n` +
      ` <Record type="${Q}Distance" value="1"/>\n` +
      ` <Record type="${Q}StepCount"   value="9"  ></Record>\n` +
      '</HealthData>\n';
    const whole = scan([xml]);
    expect(whole).toHaveLength(7);
    for (let at = 1; at < xml.length; at++) expect(scan([xml.slice(0, at), xml.slice(at)])).toEqual(whole);
  });

  it('refuses text between tags at its own line, and text after the document', () => {
    expect(scan(['<HealthData>\n  \n \tx<Me/></HealthData>']).at(-1)).toBe(
      'error "Text where only tags belong: this is not a well-formed export." @3',
    );
    expect(scan(['<HealthData/>\n\n', ' \n', 'after']).at(-1)).toBe(
      'error "Text after the end of the document." @4',
    );
    // Text with no "<" after it in the piece is refused at once, not kept for the next piece.
    expect(scan(['<HealthData>\n oops', '</HealthData>']).at(-1)).toBe(
      'error "Text where only tags belong: this is not a well-formed export." @2',
    );
  });
});

describe('Apple Health XML scanner: a part of a document', () => {
  const records = [
    ` <Record type="${Q}HeartRate" unit="count/min" value="72" startDate="a" endDate="a"/>\n`,
    ` <Correlation type="BP">\n  <Record type="${Q}StepCount" unit="count" value="5"/>\n </Correlation>\n`,
    ` <Record type="${Q}StepCount" unit="count" value="6" startDate="b" endDate="b">\n  <MetadataEntry key="k" value="v"/>\n </Record>\n`,
    ` <Record type="${Q}ActiveEnergyBurned" unit="kcal" value="1"/>\n`,
  ];
  const xml = `<HealthData locale="en">\n${records.join('')}</HealthData>\n`;
  /** Where the third record starts: a boundary between top-level elements. */
  const split = xml.indexOf(records[2] ?? '');
  const firstPart = xml.slice(0, split);
  const linesBefore = firstPart.split('\n').length - 1;

  it('reports after a first part ending before a top-level record: the root open, nothing pending, the next line', () => {
    const scanner = new HealthXmlScanner(
      { root: () => undefined, start: () => undefined, end: () => undefined },
      { elements: ELEMENTS, recordTypes: WANTED },
    );
    scanner.push(firstPart);
    expect(scanner.boundary()).toEqual({ open: ['HealthData'], pendingChars: 0, line: linesBefore + 1 });
    // The boundary is a copy: changing it changes nothing in the scanner.
    (scanner.boundary().open as string[]).push('Record');
    expect(scanner.boundary().open).toEqual(['HealthData']);
  });

  it('shows an element open inside the root, and a tag cut short as pending characters on its line', () => {
    const scanner = new HealthXmlScanner(
      { root: () => undefined, start: () => undefined, end: () => undefined },
      { elements: ELEMENTS, recordTypes: WANTED },
    );
    const inCorrelation = xml.indexOf('  <Record', xml.indexOf('<Correlation'));
    scanner.push(xml.slice(0, inCorrelation + 12));
    expect(scanner.boundary()).toEqual({ open: ['HealthData', 'Correlation'], pendingChars: 10, line: 4 });
    scanner.push(xml.slice(inCorrelation + 12, xml.indexOf('<MetadataEntry') + 3));
    expect(scanner.boundary()).toEqual({ open: ['HealthData', 'Record'], pendingChars: 3, line: 7 });
  });

  it('scans a second part with the root already open the same as the whole, its lines counted from the part', () => {
    const whole = scan([xml]);
    const part = scan([xml.slice(split)], { openElements: ['HealthData'] });
    const relative = (entry: string): string =>
      entry.replace(/@(\d+)$/, (_m, line: string) => `@${Number(line) - linesBefore}`);
    const expected = whole.slice(
      whole.findIndex((e) => e.startsWith(`Record {"type":"${Q}StepCount","unit":"count","value":"6"`)),
    );
    expect(expected).toHaveLength(4);
    expect(part).toEqual(expected.map(relative));
    expect(part.some((e) => e.startsWith('root'))).toBe(false);
  });

  it('reports the same faults in a second part, at lines counted from the part', () => {
    const damaged = xml.replace('value="6"', 'value="6<"');
    const faultLine = damaged.split('\n').findIndex((l) => l.includes('6<')) + 1;
    expect(scan([damaged]).at(-1)).toBe(
      `error "A "<" inside an attribute of <Record> (an unclosed quote?)." @${faultLine}`,
    );
    expect(scan([damaged.slice(split)], { openElements: ['HealthData'] }).at(-1)).toBe(
      `error "A "<" inside an attribute of <Record> (an unclosed quote?)." @${faultLine - linesBefore}`,
    );
    // A closing tag that does not match what was open, and a part that leaves the root open.
    expect(scan(['</Correlation>'], { openElements: ['HealthData'] })).toEqual([
      'error "<HealthData> is closed by </Correlation>." @1',
    ]);
    expect(scan([records[0] ?? ''], { openElements: ['HealthData'] }).at(-1)).toBe(
      'error "The file ends before <HealthData> is closed: it is cut short." @2',
    );
    // The root counts as seen: a second root after it closes is refused, as in a whole document.
    expect(scan(['</HealthData>\n<HealthData/>'], { openElements: ['HealthData'] })).toEqual([
      '/HealthData',
      'error "<HealthData> after the end of the document." @2',
    ]);
  });

  it('starts a document as usual with no open elements', () => {
    expect(scan([xml], { openElements: [] })).toEqual(scan([xml]));
    expect(scan([' '], { openElements: [] })).toEqual(['error "The file holds no XML element." @1']);
  });

  it('hands over between parts cut at every top-level boundary, with the same records as one scan', () => {
    const whole = scan(cut(xml, 5)).filter((e) => !e.startsWith('root'));
    // Before the indent of a top-level element's line, and right at its "<".
    const boundaries = [...xml.matchAll(/\n <(?:Record|Correlation)/g)].flatMap((m) => [
      m.index + 1,
      m.index + 2,
    ]);
    for (const at of boundaries) {
      const first = scan([xml.slice(0, at)], {}, false).filter((e) => !e.startsWith('root'));
      const second = scan(cut(xml.slice(at), 7), { openElements: ['HealthData'] });
      const firstLines = xml.slice(0, at).split('\n').length - 1;
      expect([
        ...first,
        ...second.map((e) => e.replace(/@(\d+)$/, (_m, l: string) => `@${Number(l) + firstLines}`)),
      ]).toEqual(whole);
    }
  });
});
