/**
 * Files built to harm, as someone who hands a nurse a "patient export" would build them: entity
 * expansion, external entities, endless names and comments, deep nesting, numbers and dates no export
 * writes, prototype keys, pipes and devices, a file that grows while it is read, a zip that lies. Each
 * test performs the attack on the real reader and shows it ends as a clear problem, not a hang, a crash
 * or a value in the chart.
 */
// CSV times carry no offset: pin the workstation's zone so instants are exact.
process.env.TZ = 'Europe/Berlin';

import { execFileSync } from 'node:child_process';
import { appendFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppleHealth, exportNumber } from '../../../main/import/formats/apple-health/reader';
import { HealthXmlScanner, MAX_DEPTH, XmlError } from '../../../main/import/formats/apple-health/xml-scanner';
import { readDexcomClarity } from '../../../main/import/formats/dexcom-clarity';
import { detectHomeImportFormat } from '../../../main/import/detect';
import { readLibreView } from '../../../main/import/formats/libreview';
import { readFhirBundle, readFhirNdjson } from '../../../main/import/formats/fhir';
import { readOpenMHealth } from '../../../main/import/formats/open-mhealth';
import {
  MAX_CSV_COLUMNS,
  MAX_SHOWN_CELL_CHARS,
  previewCsvLayout,
  readMappedCsv,
} from '../../../main/import/formats/mapped-csv';
import { MAX_JSON_DOCUMENT_BYTES } from '../../../main/import/formats/json-source';
import { FILE_CHANGED } from '../../../main/import/formats/source-file';
import { MAX_ERRORS, MAX_KINDS, TOO_MANY_ERRORS } from '../../../main/import/formats/problems';
import type { HomeImportReader } from '../../../main/import/formats/events';
import { csvLayoutKey, type CsvColumnMapping } from '../../../shared/home-data/csv-mapping';
import { appleHealthXml } from '../../sim/home-data/apple-health';
import { dexcomClarityCsv } from '../../sim/home-data/cgm';
import { zipBytes } from '../../sim/home-data/zip-writer';
import { collect, tempDir } from './collect';

const tmp = tempDir();
afterAll(() => tmp.remove());

const Q = 'HKQuantityTypeIdentifier';
const AT = '2026-03-01 08:00:00 +0100';
const record = (
  value: string,
  type = 'HeartRate',
  unit = 'count/min',
  attrs = 'sourceName="Watch"',
): string =>
  ` <Record type="${Q}${type}" ${attrs} unit="${unit}" startDate="${AT}" endDate="${AT}" value="${value}"/>\n`;
/** An export whose DOCTYPE carries `subset` in its internal subset, as Apple's carries its DTD. */
const withSubset = (subset: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n${subset}\n]>\n<HealthData locale="en_GB">\n <ExportDate value="${AT}"/>\n${body}</HealthData>\n`;

const errors = (problems: { severity: string; message: string }[]): string[] =>
  problems.filter((p) => p.severity === 'error').map((p) => p.message);

describe('XML entities in an Apple Health export', () => {
  let server: Server;
  let fetched = 0;
  let url = '';
  beforeAll(async () => {
    // Where an external entity would be fetched from: it counts every request.
    server = createServer((_req, res) => {
      fetched++;
      res.end('<!ENTITY leaked "from the network">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('never expands a billion-laughs entity: the value is refused as an unknown entity, in a short message', async () => {
    const laughs = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ].join('\n');
    const file = tmp.file(
      'laughs.xml',
      withSubset(laughs, record('&lol9;') + record('72', 'HeartRate', 'count/min', 'sourceName="&lol9;"')),
    );
    const { records, problems } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    expect(errors(problems)).toEqual([
      expect.stringMatching(/unknown "&" entity in "&lol9;"/),
      expect.stringMatching(/unknown "&" entity in "&lol9;"/),
    ]);
    expect(problems.every((p) => p.message.length < 300 && !p.message.includes('lollol'))).toBe(true);
  });

  it('never expands a quadratic blowup: one large entity named thousands of times stays one short problem', async () => {
    const big = `<!ENTITY a "${'a'.repeat(100_000)}">`;
    const file = tmp.file(
      'quadratic.xml',
      withSubset(big, record('72', 'HeartRate', 'count/min', `sourceName="${'&a;'.repeat(20_000)}"`)),
    );
    const { records, problems } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    expect(errors(problems)).toHaveLength(1);
    expect(problems[0]!.message.length).toBeLessThan(300);
  });

  it('never reads a SYSTEM entity from disk or the network, nor a parameter entity in the subset', async () => {
    const secret = tmp.file('secret.txt', 'SECRET-PATIENT-NOTE');
    const subset = [
      `<!ENTITY disk SYSTEM "file://${secret}">`,
      `<!ENTITY net SYSTEM "${url}/entity">`,
      `<!ENTITY % remote SYSTEM "${url}/evil.dtd">`,
      '%remote;',
    ].join('\n');
    const file = tmp.file(
      'xxe.xml',
      withSubset(subset, record('&disk;') + record('72', 'HeartRate', 'count/min', 'sourceName="&net;"')),
    );
    const { records, events } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    // A DOCTYPE that names a remote DTD outright is not fetched either.
    const external = tmp.file(
      'external-dtd.xml',
      `<?xml version="1.0"?>\n<!DOCTYPE HealthData SYSTEM "${url}/healthdata.dtd">\n<HealthData locale="en_GB">\n${record('72')}</HealthData>\n`,
    );
    const plain = await collect(readAppleHealth, external);
    expect(plain.records.map((r) => r.value)).toEqual([72]);
    expect(fetched).toBe(0);
    expect(JSON.stringify(events)).not.toMatch(/SECRET-PATIENT-NOTE|from the network/);
  });
});

describe('an Apple Health export built to exhaust memory', () => {
  const scanner = (): HealthXmlScanner =>
    new HealthXmlScanner(
      { root: () => undefined, start: () => undefined, end: () => undefined },
      { elements: new Set(), recordTypes: new Set() },
    );
  /** Pushes 1 MB pieces of `filler` after `head`: the scanner must refuse long before 64 MB. */
  const endless = (head: string, filler: string): { refused: XmlError | undefined; pushedMb: number } => {
    const s = scanner();
    const piece = filler.repeat(Math.ceil((1024 * 1024) / filler.length)).slice(0, 1024 * 1024);
    let pushedMb = 0;
    try {
      s.push(`<?xml version="1.0"?>\n${head}`);
      for (; pushedMb < 64; pushedMb++) s.push(piece);
    } catch (error) {
      return { refused: error as XmlError, pushedMb };
    }
    return { refused: undefined, pushedMb };
  };

  it.each([
    ['a comment that never ends', '<!-- ', 'x'],
    ['a tag name that never ends', '<HealthData', 'x'],
    ['an attribute name that never ends', '<HealthData locale="en"><Record ', 'x'],
    ['a DOCTYPE internal subset that never ends', '<!DOCTYPE HealthData [ <!ENTITY a "', 'x'],
    ['a processing instruction that never ends', '<?xml-stylesheet ', 'x'],
    ['an attribute full of ">" that never ends', '<HealthData locale="', '>'],
  ])('refuses %s within a few MB', (_what, head, filler) => {
    const { refused, pushedMb } = endless(head, filler);
    expect(refused).toBeInstanceOf(XmlError);
    expect(refused?.message).toMatch(/never ends/);
    expect(pushedMb).toBeLessThanOrEqual(5);
  });

  it(`refuses elements nested more than ${MAX_DEPTH} deep, even when every one is closed`, async () => {
    const depth = MAX_DEPTH + 1;
    const nested = `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
    const file = tmp.file('nested.xml', appleHealthXml(` ${nested}\n${record('72')}`));
    const { records, problems } = await collect(readAppleHealth, file);
    expect(records).toEqual([]);
    expect(errors(problems)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The export is not well-formed at line \\d+: Elements nested more than ${MAX_DEPTH} deep`,
        ),
      ),
    ]);
    // Apple's own depth is read as always.
    const usual = tmp.file(
      'usual-depth.xml',
      appleHealthXml(`${'<a>'.repeat(5)}${'</a>'.repeat(5)}\n${record('72')}`),
    );
    expect((await collect(readAppleHealth, usual)).records.map((r) => r.value)).toEqual([72]);
  });

  it('counts a file with a new unknown unit on every line as a bounded number of kinds', async () => {
    // Fewer lines than the errors after which reading stops.
    const lines = Array.from({ length: MAX_KINDS + 400 }, (_, i) => record('72', 'HeartRate', `u${i}`)).join(
      '',
    );
    const { records, problems } = await collect(
      readAppleHealth,
      tmp.file('units.xml', appleHealthXml(lines)),
    );
    expect(records).toEqual([]);
    // Five shown of each of MAX_KINDS kinds at most, then one summary of the rest as "Other problems".
    expect(problems).toHaveLength(MAX_KINDS + 5 + 1);
    expect(problems.at(-1)?.message).toBe('Other problems: 395 more like this not listed.');
  });

  it(`stops reading after ${MAX_ERRORS} bad entries instead of checking millions of them`, async () => {
    const point = {
      header: { id: 'p1', schema_id: { namespace: 'omh', name: 'heart-rate', version: '1.0' } },
      body: {
        heart_rate: { value: 72, unit: 'beats/min' },
        effective_time_frame: { date_time: '2026-03-01T08:00:00+01:00' },
      },
    };
    // One data point, then a million zeros: each one a bad entry.
    const file = tmp.file('zeros.json', `[${JSON.stringify(point)},${'0,'.repeat(1_000_000)}0]`);
    const { problems } = await collect(readOpenMHealth, file);
    expect(problems).toHaveLength(6);
    expect(problems.at(-1)).toEqual({ severity: 'error', message: TOO_MANY_ERRORS });
    // The same for a CSV export, row by row.
    const csv = tmp.file(
      'bad-rows.csv',
      `${dexcomClarityCsv({ readings: 1 })}${'9,2026-01-15T08:30:00,EGV,,,,android G6,abc,,,,,1,8AM1EY\n'.repeat(5000)}`,
    );
    const rows = await collect(readDexcomClarity, csv);
    expect(rows.problems.at(-1)).toEqual({ severity: 'error', message: TOO_MANY_ERRORS });
  });
});

describe('values and text no export writes', () => {
  it.each([
    ['0x48', 'hex'],
    ['0X48', 'hex'],
    ['0b1001000', 'binary'],
    ['0o110', 'octal'],
    [' 72', 'padded'],
    ['72 ', 'padded'],
    ['NaN', 'not a number'],
    ['Infinity', 'infinite'],
    ['-Infinity', 'infinite'],
    ['', 'empty'],
  ])('reads the Apple value %s (%s) as unreadable, never as a heart rate', async (value) => {
    expect(Number.isFinite(exportNumber(value))).toBe(false);
    const { records, problems } = await collect(
      readAppleHealth,
      tmp.file('n.xml', appleHealthXml(record(value))),
    );
    expect(records).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/heart rate record with an unreadable value or date; not imported/),
    ]);
  });

  it('reads decimals as Apple writes them, -0 as 0, and leaves 1e308 out as implausible', async () => {
    expect([exportNumber('72'), exportNumber('36.6'), exportNumber('1.2e-05'), exportNumber('.5')]).toEqual([
      72, 36.6, 1.2e-5, 0.5,
    ]);
    expect(Object.is(exportNumber('-0'), 0)).toBe(true);
    const { records, problems } = await collect(
      readAppleHealth,
      tmp.file('big.xml', appleHealthXml(record('1e308'))),
    );
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/outside what a person can have/);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'refuses the Apple unit "%s" as unknown instead of finding an Object member',
    async (unit) => {
      const file = tmp.file('unit.xml', appleHealthXml(record('72', 'HeartRate', unit)));
      const { records, problems } = await collect(readAppleHealth, file);
      expect(records).toEqual([]);
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringMatching(new RegExp(`heart rate in the unit "${unit}", which this app does not know`)),
      ]);
    },
  );

  it('refuses Apple dates far in the past, far in the future and with absurd offsets', async () => {
    const dated = (at: string): string =>
      ` <Record type="${Q}HeartRate" sourceName="W" unit="count/min" startDate="${at}" endDate="${at}" value="72"/>\n`;
    const body = [
      '0001-01-01 00:00:00 +0000',
      '9999-12-31 23:59:59 +0000',
      '2026-03-01 08:00:00 +9959',
      '2026-03-01 08:00:00 -2400',
      '2026-13-01 08:00:00 +0100',
    ]
      .map(dated)
      .join('');
    const { records, problems } = await collect(readAppleHealth, tmp.file('dates.xml', appleHealthXml(body)));
    expect(records).toEqual([]);
    expect(problems).toHaveLength(5);
  });
});

describe('JSON built against the reader', () => {
  const observation = (code: string, value: unknown = 72): Record<string, unknown> => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    effectiveDateTime: '2026-03-01T08:00:00+01:00',
    valueQuantity: { value, unit: '/min', code: '/min' },
  });

  it('reads LOINC codes "__proto__" and "constructor" as codes it does not import, and pollutes nothing', async () => {
    const polluting =
      '{"resourceType":"Bundle","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"entry":[' +
      [observation('__proto__'), observation('constructor'), observation('toString'), observation('8867-4')]
        .map((o) => `{"resource":${JSON.stringify(o).replace('{', '{"__proto__":{"polluted":"yes"},')}}`)
        .join(',') +
      ']}';
    const { records, problems } = await collect(readFhirBundle, tmp.file('proto.json', polluting));
    expect(records.map((r) => [r.measure, r.value])).toEqual([['heartRate', 72]]);
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual([
      'Entry 1: an Observation whose code (__proto__) is not a vital sign this app imports.',
      'Entry 2: an Observation whose code (constructor) is not a vital sign this app imports.',
      'Entry 3: an Observation whose code (toString) is not a vital sign this app imports.',
    ]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reads Open mHealth schemas named "__proto__" or "constructor" as schemas it does not import', async () => {
    const point = (name: string): unknown => ({
      header: { id: `p-${name}`, schema_id: { namespace: 'omh', name, version: '1.0' } },
      body: {
        heart_rate: { value: 72, unit: 'beats/min' },
        effective_time_frame: { date_time: '2026-03-01T08:00:00+01:00' },
        __proto__: { polluted: 'yes' },
      },
    });
    const text = JSON.stringify([point('__proto__'), point('constructor'), point('heart-rate')]).replace(
      /"body":\{/g,
      '"body":{"__proto__":{"polluted":"yes"},',
    );
    const { records, problems } = await collect(readOpenMHealth, tmp.file('omh.json', text));
    expect(records.map((r) => r.value)).toEqual([72]);
    expect(problems.map((p) => p.message)).toEqual([
      'Data point 1: the schema omh:__proto__ is not one this app imports.',
      'Data point 2: the schema omh:constructor is not one this app imports.',
    ]);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses numbers and dates no measurement has: 1e308, -0, years 0001 and 9999, offsets past a day', async () => {
    const dated = (at: string): Record<string, unknown> => ({
      ...observation('8867-4'),
      effectiveDateTime: at,
    });
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        observation('8867-4', 1e308),
        observation('8867-4', -0),
        observation('8867-4', '72'),
        observation('8867-4', '0x48'),
        dated('0001-01-01T00:00:00Z'),
        dated('9999-12-31T23:59:59Z'),
        dated('2026-03-01T08:00:00+99:00'),
      ].map((resource) => ({ resource })),
    };
    const { records, problems } = await collect(
      readFhirBundle,
      tmp.file('numbers.json', JSON.stringify(bundle)),
    );
    expect(records).toEqual([]);
    // Five shown, the other two counted.
    expect(problems).toHaveLength(6);
    expect(problems.at(-1)?.message).toBe('Observations not imported: 2 more like this not listed.');
    // The literal an attacker writes for an overflow: JSON has no Infinity, 1e999 parses as one.
    const overflow = JSON.stringify({
      resourceType: 'Bundle',
      entry: [{ resource: observation('8867-4', 1) }],
    }).replace('"value":1', '"value":1e999');
    const inf = await collect(readFhirBundle, tmp.file('overflow.json', overflow));
    expect(inf.records).toEqual([]);
    expect(inf.problems[0]?.message).toMatch(/not valid FHIR \(valueQuantity\.value/);
  });

  it('refuses a JSON document larger than it reads whole, before reading it, and names NDJSON', async () => {
    const file = tmp.file('huge.json', '');
    // A long string inside a Bundle: sparse on disk, over the limit by one byte.
    writeFileSync(file, '{"resourceType":"Bundle","entry":[],"note":"');
    appendFileSync(file, Buffer.alloc(MAX_JSON_DOCUMENT_BYTES - 40, 0x61));
    appendFileSync(file, '"}');
    for (const reader of [readFhirBundle, readOpenMHealth]) {
      const { records, problems } = await collect(reader, file);
      expect(records).toEqual([]);
      expect(problems).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(
            /a JSON document is read whole, .* at most 32\.0 MB\. Export it as NDJSON/,
          ),
        }),
      ]);
    }
  });

  it('refuses an NDJSON line of megabytes with no line break', async () => {
    const file = tmp.file(
      'one-line.ndjson',
      `{"resourceType":"Observation","note":"${'a'.repeat(3 * 1024 * 1024)}`,
    );
    const { records, problems } = await collect(readFhirNdjson, file);
    expect(records).toEqual([]);
    expect(problems[0]?.message).toMatch(/^Line 1 is longer than any line of a health export/);
  });
});

describe('CSV built against the reader', () => {
  const header = ['time', 'measure', 'systolic', 'diastolic', 'unit', 'device'];
  const mapping = (timeFormat: CsvColumnMapping['timeFormat']): CsvColumnMapping => ({
    layoutKey: csvLayoutKey(header),
    delimiter: ',',
    columns: { time: 0, measure: 1, value: 2, diastolic: 3, unit: 4, device: 5 },
    timeFormat,
    measureValues: { BP: 'bloodPressure', Pulse: 'heartRate' },
    sourceName: 'Cuff app',
  });

  it('leaves out a diastolic no person can have, and epoch or ISO times past any date', async () => {
    const rows = [
      '1772348400,BP,120,-5,mmHg,cuff',
      '1772348460,BP,120,99999,mmHg,cuff',
      '1772348520,BP,120,1e308,mmHg,cuff',
      '9999999999999,Pulse,72,,/min,cuff',
      '1772348580,BP,120,80,mmHg,cuff',
    ];
    const file = tmp.file('cuff.csv', [header.join(','), ...rows].join('\n'));
    const { records, problems } = await collect(readMappedCsv(mapping('epoch-s')), file);
    expect(records.map((r) => [r.value, r.diastolic])).toEqual([[120, 80]]);
    expect(problems.slice(0, 4).map((p) => p.message)).toEqual([
      'Line 2: the diastolic value -5 mmHg is not plausible.',
      'Line 3: the diastolic value 99999 mmHg is not plausible.',
      'Line 4: unreadable diastolic value "1e308".',
      'Line 5: unreadable time "9999999999999".',
    ]);
    const iso = tmp.file(
      'iso.csv',
      [
        header.join(','),
        '0001-01-01T00:00:00Z,Pulse,72,,/min,x',
        '9999-12-31T23:59:59Z,Pulse,72,,/min,x',
      ].join('\n'),
    );
    const far = await collect(readMappedCsv(mapping('iso')), iso);
    expect(far.records).toEqual([]);
    expect(far.problems).toHaveLength(2);
  });

  it('keeps a formula in a cell as text: it is never evaluated, and the row is read as written', async () => {
    const formula = `=cmd|' /C calc'!A0`;
    const file = tmp.file(
      'formula.csv',
      [
        header.join(','),
        `1772348400,BP,120,80,mmHg,"${formula}"`,
        `1772348460,Pulse,"=1+71",,/min,@SUM(A1)`,
      ].join('\n'),
    );
    const { records, problems } = await collect(readMappedCsv(mapping('epoch-s')), file);
    expect(records.map((r) => r.device)).toEqual([formula]);
    expect(problems[0]?.message).toBe('Line 3: unreadable value "=1+71".');
  });

  it('reads a NUL byte and invalid UTF-8 in a cell as text, never as a number', async () => {
    const file = tmp.file(
      'bytes.csv',
      Buffer.concat([
        Buffer.from(`${header.join(',')}\n1772348400,BP,12\u00000,80,mmHg,cuff\n1772348460,BP,`),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(',80,mmHg,cuff\n1772348520,BP,121,80,mmHg,cu\u0000ff\n'),
      ]),
    );
    const { records, problems } = await collect(readMappedCsv(mapping('epoch-s')), file);
    expect(records.map((r) => r.value)).toEqual([121]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Line 2: unreadable value/),
      expect.stringMatching(/^Line 3: unreadable value "\ufffd\(\ufffd"/),
    ]);
  });
});

describe('a CSV built against the mapping screen', () => {
  it('refuses more columns than a mapping can name, and shows long cells cut short', async () => {
    const wide = tmp.file('wide.csv', `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`);
    await expect(previewCsvLayout({ path: wide, maxBytes: 1e9 })).rejects.toThrow(
      `This CSV has 5,000 columns, more than the ${MAX_CSV_COLUMNS.toLocaleString('en')} a table of measurements can be mapped with.`,
    );
    const long = 'x'.repeat(500_000);
    const file = tmp.file('long.csv', `time,${long}\n2026-03-01T08:00:00Z,${long}\n`);
    const layout = await previewCsvLayout({ path: file, maxBytes: 1e9 });
    expect(layout.header[1]).toHaveLength(MAX_SHOWN_CELL_CHARS);
    expect(layout.sampleRows[0]?.[1]).toHaveLength(MAX_SHOWN_CELL_CHARS);
    // The layout is still known by its whole header.
    expect(layout.layoutKey).toBe(csvLayoutKey(['time', long]));
  });
});

describe('a file that is not a file', () => {
  const csvMapping: CsvColumnMapping = {
    layoutKey: csvLayoutKey(['time', 'value']),
    delimiter: ',',
    columns: { time: 0, value: 1 },
    timeFormat: 'iso',
    measure: 'heartRate',
    unit: '/min',
  };
  const readers: [string, HomeImportReader][] = [
    ['Apple Health', readAppleHealth],
    ['Dexcom Clarity', readDexcomClarity],
    ['LibreView', readLibreView],
    ['FHIR Bundle', readFhirBundle],
    ['FHIR NDJSON', readFhirNdjson],
    ['Open mHealth', readOpenMHealth],
    ['mapped CSV', readMappedCsv(csvMapping)],
  ];

  it.each(readers)(
    'the %s reader refuses a FIFO and /dev/zero at once, and reads through a symlink to a file',
    async (_name, reader) => {
      const fifo = path.join(tmp.dir, `fifo-${Math.random().toString(36).slice(2)}`);
      // Opening a FIFO blocks until someone writes; /dev/zero never ends: neither may be read.
      execFileSync('mkfifo', [fifo]);
      for (const target of [fifo, '/dev/zero']) {
        const link = `${fifo}-link`;
        symlinkSync(target, link);
        for (const file of [target, link]) {
          const { records, problems } = await collect(reader, file);
          expect(records).toEqual([]);
          expect(problems).toEqual([
            { severity: 'error', message: 'This is not a file that can be imported (a device or a pipe).' },
          ]);
        }
        execFileSync('rm', [link]);
      }
      // Detection opens the file too: it answers at once, instead of waiting for a writer.
      expect(await detectHomeImportFormat(fifo)).toEqual({ unknown: 'not a file (a device or a pipe)' });
    },
    15_000,
  );
});

describe('a file that changes while it is read', () => {
  it('refuses a CGM export that keeps growing, instead of reading on for ever', async () => {
    const file = tmp.file('growing.csv', dexcomClarityCsv({ readings: 30_000 }));
    const more = dexcomClarityCsv({ readings: 10_000 }).split('\n').slice(8).join('\n');
    let appended = 0;
    const problems: string[] = [];
    for await (const event of readDexcomClarity({ path: file, maxBytes: 1e9 })) {
      // The writer (a download, a sync client) adds as fast as the import reads, up to 200 MB.
      if (event.type === 'progress' && appended < 100) {
        appendFileSync(file, more);
        appended++;
      }
      if (event.type === 'problem') problems.push(event.problem.message);
    }
    expect(problems.at(-1)).toBe(FILE_CHANGED);
    expect(appended).toBeLessThan(10);
  });

  it('refuses an Apple Health export rewritten in place at the same size while it is read', async () => {
    const body = Array.from({ length: 30_000 }, (_, i) => record(String(60 + (i % 40)))).join('');
    const xml = appleHealthXml(body);
    const file = tmp.file('rewritten.xml', xml);
    let rewritten = false;
    const problems: string[] = [];
    for await (const event of readAppleHealth({ path: file, maxBytes: 1e9 })) {
      if (event.type === 'progress' && !rewritten) {
        // Same size, another patient's values (the sync client replaced it).
        writeFileSync(file, xml.replace(/value="6/g, 'value="9'));
        rewritten = true;
      }
      if (event.type === 'problem') problems.push(event.problem.message);
    }
    expect(rewritten).toBe(true);
    expect(problems.at(-1)).toBe(FILE_CHANGED);
  });
});

describe('a zip that lies', () => {
  const xml = appleHealthXml(record('72'));
  /** The byte of each central directory entry, found from the end-of-directory record. */
  const centralEntries = (zip: Buffer): number[] => {
    const end = zip.length - 22;
    let at = zip.readUInt32LE(end + 16);
    const found: number[] = [];
    for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
      found.push(at);
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    }
    return found;
  };

  it('reads a member marked as a symlink as its bytes, never following the link it names', async () => {
    const secret = tmp.file('zip-secret.xml', appleHealthXml(record('99')));
    const zip = zipBytes([{ name: 'apple_health_export/export.xml', data: secret, method: 0 }]);
    // Unix mode lrwxrwxrwx in the external attributes: unzip would make a symlink to the secret file.
    zip.writeUInt32LE((0o120777 << 16) >>> 0, centralEntries(zip)[0]! + 38);
    const { records, problems } = await collect(readAppleHealth, tmp.file('symlink.zip', zip));
    expect(records).toEqual([]);
    expect(errors(problems)).toEqual([expect.stringMatching(/^The export is not well-formed at line 1/)]);
  });

  it('refuses a directory whose member points at another member', async () => {
    const zip = zipBytes([
      { name: 'apple_health_export/other.xml', data: appleHealthXml(record('99')) },
      { name: 'apple_health_export/export.xml', data: xml },
    ]);
    // export.xml's entry now points at other.xml's local header, at the archive's start.
    zip.writeUInt32LE(0, centralEntries(zip)[1]! + 42);
    const { records, problems } = await collect(readAppleHealth, tmp.file('pointer.zip', zip));
    expect(records).toEqual([]);
    expect(errors(problems)).toEqual([expect.stringMatching(/named differently inside the archive/)]);
  });

  it('refuses a directory that claims more members than it holds, or sizes that are not the data', async () => {
    const zip = zipBytes([{ name: 'apple_health_export/export.xml', data: xml }]);
    const more = Buffer.from(zip);
    more.writeUInt16LE(3, more.length - 22 + 10);
    const counted = await collect(readAppleHealth, tmp.file('count.zip', more));
    expect(counted.records).toEqual([]);
    expect(errors(counted.problems)).toEqual([expect.stringMatching(/^This zip file is refused: /)]);

    for (const [field, change] of [
      [20, -40],
      [24, 1],
      [24, -1],
    ] as const) {
      const lying = Buffer.from(zip);
      const entry = centralEntries(lying)[0]!;
      lying.writeUInt32LE(lying.readUInt32LE(entry + field) + change, entry + field);
      const sized = await collect(readAppleHealth, tmp.file('size.zip', lying));
      // Records read before the lie shows still go out; the error after them blocks the whole file.
      expect(errors(sized.problems)).toEqual([expect.stringMatching(/^This zip file is refused: /)]);
    }
  });
});
