/**
 * Apple Health export (export.zip as the iPhone makes it, or its export.xml), read as a stream: the
 * measures of issue-listed types become records with their source app and device, steps become daily
 * totals and sleep nightly totals, blood pressure comes from its systolic/diastolic correlation, and the
 * `Me` element tells who the export belongs to. Apple records carry no id: a record's identity is a hash
 * of its type, start, end, value, unit and source, the same in every later export.
 */
import type { ExportSubject, HomeRecord } from '../../../../shared/home-data/record';
import { listZipEntries, ZipError, type ZipEntry } from '../../zip/central-directory';
import { inflateEntry } from '../../zip/entry-stream';
import { openRegularFile, regularFileChunks } from '../../regular-file';
import type { HomeImportEvent, HomeImportInput } from '../events';
import { guarded } from '../guard';
import { contentId } from '../identity';
import { ProblemLog } from '../problems';
import {
  CHUNK_BYTES,
  SourceError,
  stableChunks,
  throwIfAborted,
  throwIfChanged,
  versionWithinLimit,
  type FileVersion,
} from '../source-file';
import { appleDateMs, appleDateToIso, appleLocalDay, previousDay } from './dates';
import { readEcgEntries } from './ecg';
import { dailyStepRecords, nightlySleepRecords, TotalsBySource } from './nightly-and-daily';
import {
  ASLEEP_VALUES,
  BLOOD_GLUCOSE,
  BLOOD_PRESSURE,
  DIASTOLIC,
  GLUCOSE_RANGE,
  glucoseConversion,
  MEASURE_WORDS,
  pressureConversion,
  QUANTITY_TYPES,
  SLEEP,
  STEP_COUNT,
  SYSTOLIC,
  WANTED_RECORD_TYPES,
} from './quantities';
import {
  attributeText,
  EntityError,
  HealthXmlScanner,
  XmlError,
  type Attributes,
  type ScannerHandler,
  type ScannerOptions,
} from './xml-scanner';
import { findLaterPartStart, LATER_PART_MIN_BYTES, startLaterPart, type LaterPartReader } from './later-part';

export function findAppleHealthXmlEntry(entries: readonly ZipEntry[]): ZipEntry | undefined {
  return entries
    .filter((e) => /(^|\/)export\.xml$/.test(e.name))
    .sort((a, b) => a.name.length - b.name.length)[0];
}

const USED = ['unit', 'value', 'startDate', 'endDate', 'sourceName', 'device'] as const;
const USED_BY_STEPS = ['unit', 'value', 'startDate', 'endDate', 'sourceName'] as const;
const USED_BY_ME = [
  'HKCharacteristicTypeIdentifierDateOfBirth',
  'HKCharacteristicTypeIdentifierBiologicalSex',
] as const;

/** Every attribute the handler reads; the scanner keeps no other (creation dates, versions, metadata). */
const READ_ATTRIBUTES: ReadonlySet<string> = new Set(['type', ...USED, ...USED_BY_ME]);

const NON_ASCII = /[\u0080-\u00ff]/;

/**
 * A value cut out of the file's text shares that whole chunk's memory (V8 slices): a cache keyed by it
 * would keep every chunk a new key came from. Its own copy is kept instead (see detached()).
 */
const ownCopy = (value: string): string => (' ' + value).slice(1);
const utf8Cache = new Map<string, string>();

/**
 * The file is scanned as Latin-1 (one character per byte, several times faster to decode than UTF-8 and
 * never split mid-character at a chunk edge); a value that will be read is turned back into its bytes and
 * decoded as the UTF-8 it is. Source and device names repeat millions of times, hence the small cache.
 */
function utf8(raw: string): string {
  let text = utf8Cache.get(raw);
  if (text === undefined) {
    text = Buffer.from(raw, 'latin1').toString('utf8');
    if (utf8Cache.size < 10_000) utf8Cache.set(ownCopy(raw), text);
  }
  return text;
}

const entityCache = new Map<string, string>();

/** An attribute's text with its entities decoded; the device descriptions that carry them repeat. */
function withEntities(raw: string): string {
  let text = entityCache.get(raw);
  if (text === undefined) {
    text = attributeText(raw) ?? '';
    if (entityCache.size < 10_000) entityCache.set(ownCopy(raw), text);
  }
  return text;
}

/** A value with a byte beyond ASCII or an entity: most values (dates, figures, units) have neither. */
const NEEDS_DECODING = /[&\u0080-\u00ff]/;

/** Decodes in place the attributes that will be read (the scanner leaves them raw). */
function decode(a: Attributes, keys: readonly string[]): void {
  for (const key of keys) {
    let raw = a[key];
    if (raw === undefined || !NEEDS_DECODING.test(raw)) continue;
    if (NON_ASCII.test(raw)) raw = utf8(raw);
    a[key] = raw.includes('&') ? withEntities(raw) : raw;
  }
}

const ELEMENTS: ReadonlySet<string> = new Set(['HealthData', 'ExportDate', 'Me', 'Record', 'Correlation']);

/** What the scanner reports and keeps, for the whole file or a part of it. */
export const SCANNER_OPTIONS: ScannerOptions = {
  elements: ELEMENTS,
  recordTypes: WANTED_RECORD_TYPES,
  attributes: READ_ATTRIBUTES,
};

const cleanDevices = new Map<string, string | undefined>();

/** Apple's device description carries a memory address that changes with every export: drop it. */
export function cleanDevice(device: string | undefined): string | undefined {
  if (!device) return undefined;
  // A watch writes the same description on every record: cleaned once.
  if (cleanDevices.has(device)) return cleanDevices.get(device);
  const cleaned = device
    .replace(/^<<HKDevice: 0x[0-9a-fA-F]+>,\s*/, '')
    .replace(/>$/, '')
    .trim();
  const result = cleaned ? cleaned.slice(0, 512) : undefined;
  if (cleanDevices.size >= 10_000) cleanDevices.clear();
  cleanDevices.set(ownCopy(device), result);
  return result;
}

const SEX: Readonly<Record<string, ExportSubject['sex']>> = {
  HKBiologicalSexFemale: 'female',
  HKBiologicalSexMale: 'male',
  HKBiologicalSexOther: 'other',
};

interface PressureHalf {
  attributes: Attributes;
  line: () => number;
}

interface OpenCorrelation {
  attributes: Attributes;
  line: () => number;
  systolic?: PressureHalf;
  diastolic?: PressureHalf;
}

/** A blood-pressure half as it crosses from the thread that read a later part: its line a number. */
interface PartHalf {
  attributes: Attributes;
  line: number;
}

/**
 * What a later part of export.xml leaves for the end of the file (read on a thread of its own, see
 * ./later-part.ts): blood-pressure halves not yet paired, day and night totals so far, and its problems,
 * the first few of each kind with their line in the part, and how many of each kind there were.
 */
export interface LaterPartState {
  looseHalves: [key: string, halves: { systolic?: PartHalf; diastolic?: PartHalf }][];
  pairedInCorrelation: string[];
  steps: ReturnType<TotalsBySource['entries']>;
  sleep: ReturnType<TotalsBySource['entries']>;
  shownProblems: { kind: string; severity: 'error' | 'warning'; at: number; message: string }[];
  problemTally: ReturnType<ProblemLog['tally']>;
}

/** What the scanner finds, turned into import events, queued until the reader yields them. */
export class HealthExportHandler implements ScannerHandler {
  readonly queue: HomeImportEvent[] = [];
  /** Set on the thread that reads a later part: its shown problems wait for the first part's lines. */
  private readonly partProblems: LaterPartState['shownProblems'] | undefined;

  constructor(options: { laterPart?: boolean } = {}) {
    if (options.laterPart) this.partProblems = [];
  }
  /** The `Me` element's details, once read (the ECG files are compared with it). */
  subject: ExportSubject | undefined;
  private readonly problems = new ProblemLog();
  private readonly steps = new TotalsBySource();
  private readonly sleep = new TotalsBySource();
  private correlation: OpenCorrelation | undefined;
  private depthInCorrelation = 0;
  /** Blood-pressure halves outside any correlation, paired by start, end and source at the end. */
  private readonly looseHalves = new Map<string, { systolic?: PressureHalf; diastolic?: PressureHalf }>();
  private readonly pairedInCorrelation = new Set<string>();

  root(name: string): void {
    if (name !== 'HealthData') {
      throw new SourceError(
        `This XML file is not an Apple Health export (it holds <${name}>, not <HealthData>).`,
      );
    }
  }

  start(name: string, attributes: Attributes | undefined, selfClosing: boolean, line: () => number): void {
    try {
      this.element(name, attributes, selfClosing, line);
    } catch (error) {
      if (!(error instanceof EntityError)) throw error;
      this.problem(
        'Unreadable characters',
        'error',
        line(),
        `<${name}> holds ${error.message}; not imported`,
      );
    }
  }

  private element(
    name: string,
    attributes: Attributes | undefined,
    selfClosing: boolean,
    line: () => number,
  ): void {
    if (name === 'Correlation') {
      if (attributes) decode(attributes, USED);
      if (!selfClosing) this.depthInCorrelation++;
      if (attributes?.type === BLOOD_PRESSURE && !selfClosing) this.correlation = { attributes, line };
      return;
    }
    if (name === 'ExportDate' && attributes) {
      decode(attributes, ['value']);
      const at = appleDateToIso(attributes.value ?? '');
      if (at) this.queue.push({ type: 'exportedAt', at });
      return;
    }
    if (name === 'Me' && attributes) {
      decode(attributes, USED_BY_ME);
      this.me(attributes);
      return;
    }
    if (name !== 'Record' || !attributes) return;
    decode(attributes, attributes.type === STEP_COUNT ? USED_BY_STEPS : USED);
    if (this.depthInCorrelation > 0) {
      // Apple writes each member of a correlation again at top level: only the pressure pair is read here.
      if (this.correlation && attributes.type === SYSTOLIC) this.correlation.systolic = { attributes, line };
      if (this.correlation && attributes.type === DIASTOLIC)
        this.correlation.diastolic = { attributes, line };
      return;
    }
    this.record(attributes, line);
  }

  end(name: string): void {
    if (name !== 'Correlation') return;
    this.depthInCorrelation--;
    if (this.correlation && this.depthInCorrelation === 0) {
      const c = this.correlation;
      this.correlation = undefined;
      if (!c.systolic || !c.diastolic) {
        this.problem(
          'Blood pressure without both values',
          'warning',
          c.line(),
          'a blood pressure reading lacks its systolic or diastolic value; it is not imported',
        );
        return;
      }
      this.pairedInCorrelation.add(pairKey(c.systolic.attributes));
      this.pressure(c.attributes, c.systolic, c.diastolic);
    }
  }

  private me(attributes: Attributes): void {
    const subject: ExportSubject = {};
    const birthDate = attributes.HKCharacteristicTypeIdentifierDateOfBirth;
    if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)) subject.birthDate = birthDate;
    const sex = SEX[attributes.HKCharacteristicTypeIdentifierBiologicalSex ?? ''];
    if (sex) subject.sex = sex;
    this.subject = subject;
    this.queue.push({ type: 'subject', subject });
  }

  private problem(kind: string, severity: 'error' | 'warning', at: number, message: string): void {
    const event = this.problems.report(kind, { severity, at, message: `Line ${at}: ${message}.` });
    if (!event) return;
    if (this.partProblems) this.partProblems.push({ kind, severity, at, message });
    else this.queue.push(event);
  }

  /** The later part's leftovers, once its reading thread reached the end of the file. */
  laterPartState(): LaterPartState {
    return {
      looseHalves: [...this.looseHalves].map(([key, halves]) => [
        key,
        {
          ...(halves.systolic ? { systolic: sentHalf(halves.systolic) } : {}),
          ...(halves.diastolic ? { diastolic: sentHalf(halves.diastolic) } : {}),
        },
      ]),
      pairedInCorrelation: [...this.pairedInCorrelation],
      steps: this.steps.entries(),
      sleep: this.sleep.entries(),
      shownProblems: this.partProblems ?? [],
      problemTally: this.problems.tally(),
    };
  }

  /**
   * Takes over what a later part of the file left, as if this handler had read on: `firstLine` is the
   * line of this file on which the later part began. Its problems are reported in order after this part's.
   */
  adoptLaterPart(later: LaterPartState, firstLine: number): void {
    const line = (partLine: number): number => firstLine + partLine - 1;
    for (const [key, halves] of later.looseHalves) {
      const own = this.looseHalves.get(key) ?? {};
      // A half met again later replaces the earlier one, as one reader in file order would.
      for (const side of ['systolic', 'diastolic'] as const) {
        const half = halves[side];
        if (half) {
          const at = line(half.line);
          own[side] = { attributes: half.attributes, line: () => at };
        }
      }
      this.looseHalves.set(key, own);
    }
    for (const key of later.pairedInCorrelation) this.pairedInCorrelation.add(key);
    this.steps.merge(later.steps);
    this.sleep.merge(later.sleep);
    const shown = new Map<string, number>();
    for (const p of later.shownProblems) {
      this.problem(p.kind, p.severity, line(p.at), p.message);
      shown.set(p.kind, (shown.get(p.kind) ?? 0) + 1);
    }
    for (const [kind, severity, count] of later.problemTally) {
      this.problems.countMore(kind, severity, count - (shown.get(kind) ?? 0));
    }
  }

  private record(a: Attributes, line: () => number): void {
    const type = a.type ?? '';
    if (type === STEP_COUNT) return this.step(a, line);
    if (type === SLEEP) return this.sleepSample(a, line);
    if (type === SYSTOLIC || type === DIASTOLIC) {
      // Kept until the end of the file: as copies of its own, and with its line counted now, not later.
      const kept = detached(a);
      const key = pairKey(kept);
      const halves = this.looseHalves.get(key) ?? {};
      const at = line();
      halves[type === SYSTOLIC ? 'systolic' : 'diastolic'] = { attributes: kept, line: () => at };
      this.looseHalves.set(key, halves);
      return;
    }
    const quantity = QUANTITY_TYPES[type];
    const measure = type === BLOOD_GLUCOSE ? 'glucose' : quantity?.measure;
    if (!measure) return;
    const unit = a.unit ?? '';
    // Own keys only: a unit written "constructor" or "__proto__" must not find Object's own members.
    const convert =
      type === BLOOD_GLUCOSE
        ? glucoseConversion(unit)
        : quantity && Object.hasOwn(quantity.units, unit)
          ? quantity.units[unit]
          : undefined;
    const words = MEASURE_WORDS[measure];
    if (!convert) {
      this.problem(
        `Unknown unit "${unit}" for ${words}`,
        'error',
        line(),
        `${words} in the unit "${unit}", which this app does not know; not imported`,
      );
      return;
    }
    const raw = exportNumber(a.value);
    const start = appleDateToIso(a.startDate ?? '');
    const end = appleDateToIso(a.endDate ?? '');
    if (!a.value || !Number.isFinite(raw) || !start || !end) {
      this.problem(
        `Unreadable ${words}`,
        'error',
        line(),
        `a ${words} record with an unreadable value or date; not imported`,
      );
      return;
    }
    const value = convert(raw);
    const [low, high] = type === BLOOD_GLUCOSE ? GLUCOSE_RANGE : (quantity?.range ?? [0, Infinity]);
    if (value < low || value > high) {
      this.problem(
        `Implausible ${words}`,
        'warning',
        line(),
        `${words} ${a.value} ${unit} is outside what a person can have; not imported`,
      );
      return;
    }
    this.emit(
      {
        sourceRecordId: contentId('apple-health', [
          type,
          a.startDate,
          a.endDate,
          a.value,
          unit,
          a.sourceName,
        ]),
        measure,
        effectiveStart: start,
        ...(end !== start ? { effectiveEnd: end } : {}),
        value,
      },
      a,
    );
  }

  private emit(record: HomeRecord, a: Attributes): void {
    const device = cleanDevice(a.device);
    if (a.sourceName) record.sourceName = a.sourceName.slice(0, 256);
    if (device) record.device = device;
    this.queue.push({ type: 'record', record });
  }

  private step(a: Attributes, line: () => number): void {
    const local = appleLocalDay(a.startDate ?? '');
    const count = exportNumber(a.value);
    if (a.unit !== 'count') {
      this.problem(
        `Unknown unit "${a.unit ?? ''}" for steps`,
        'error',
        line(),
        `steps in the unit "${a.unit ?? ''}", which this app does not know; not counted`,
      );
      return;
    }
    if (!local || !a.value || !Number.isFinite(count) || count < 0) {
      this.problem(
        'Unreadable steps',
        'error',
        line(),
        'a step count with an unreadable value or date; not counted',
      );
      return;
    }
    // Only the local day matters for a daily total; start and end times are not kept.
    this.steps.add(local.day, a.sourceName ?? '', count, 0, 0, local.offset);
  }

  private sleepSample(a: Attributes, line: () => number): void {
    if (!ASLEEP_VALUES.has(a.value ?? '')) return;
    const local = appleLocalDay(a.startDate ?? '');
    const start = appleDateMs(a.startDate ?? '');
    const end = appleDateMs(a.endDate ?? '');
    if (!local || Number.isNaN(start) || Number.isNaN(end) || end < start) {
      this.problem('Unreadable sleep', 'error', line(), 'a sleep record with unreadable dates; not counted');
      return;
    }
    // A night is named by the evening it began: sleep that starts before noon belongs to the night before.
    const night = local.hour < 12 ? previousDay(local.day) : local.day;
    this.sleep.add(night, a.sourceName ?? '', end - start, start, end, local.offset);
  }

  private pressure(c: Attributes, systolic: PressureHalf, diastolic: PressureHalf): void {
    const s = systolic.attributes;
    const d = diastolic.attributes;
    const toSys = pressureConversion(s.unit ?? '');
    const toDia = pressureConversion(d.unit ?? '');
    if (!toSys || !toDia) {
      const unit = toSys ? d.unit : s.unit;
      this.problem(
        `Unknown unit "${unit ?? ''}" for blood pressure`,
        'error',
        systolic.line(),
        `blood pressure in the unit "${unit ?? ''}", which this app does not know; not imported`,
      );
      return;
    }
    const sys = exportNumber(s.value);
    const dia = exportNumber(d.value);
    const start = appleDateToIso(c.startDate ?? s.startDate ?? '');
    const end = appleDateToIso(c.endDate ?? s.endDate ?? '');
    if (!s.value || !d.value || !Number.isFinite(sys) || !Number.isFinite(dia) || !start || !end) {
      this.problem(
        'Unreadable blood pressure',
        'error',
        systolic.line(),
        'a blood pressure record with an unreadable value or date; not imported',
      );
      return;
    }
    const value = toSys(sys);
    const diastolicValue = toDia(dia);
    if (value < 40 || value > 300 || diastolicValue < 20 || diastolicValue > 200 || diastolicValue >= value) {
      this.problem(
        'Implausible blood pressure',
        'warning',
        systolic.line(),
        `blood pressure ${s.value}/${d.value} is not plausible; not imported`,
      );
      return;
    }
    this.emit(
      {
        sourceRecordId: contentId('apple-health', [
          BLOOD_PRESSURE,
          s.startDate,
          s.endDate,
          s.value,
          d.value,
          s.unit,
          s.sourceName,
        ]),
        measure: 'bloodPressure',
        effectiveStart: start,
        ...(end !== start ? { effectiveEnd: end } : {}),
        value,
        diastolic: diastolicValue,
      },
      c.sourceName ? c : s,
    );
  }

  /** Everything that is known only at the end of the file. */
  finish(): void {
    for (const [key, halves] of this.looseHalves) {
      if (this.pairedInCorrelation.has(key)) continue;
      if (halves.systolic && halves.diastolic) {
        this.pressure(halves.systolic.attributes, halves.systolic, halves.diastolic);
      } else {
        const half = halves.systolic ?? halves.diastolic;
        if (half)
          this.problem(
            'Blood pressure without both values',
            'warning',
            half.line(),
            'a blood pressure value without its other half; not imported',
          );
      }
    }
    for (const record of dailyStepRecords(this.steps)) this.queue.push({ type: 'record', record });
    for (const record of nightlySleepRecords(this.sleep)) this.queue.push({ type: 'record', record });
    this.queue.push(...this.problems.summaries());
  }
}

/**
 * A copy of a record's used attributes that holds none of the scanner's text. Values the scanner cuts out
 * of a 1 MB chunk keep the whole chunk alive for as long as they live (V8 slices); Apple writes every
 * blood-pressure half again outside its correlation, so keeping those halves as cut would keep most of
 * the file. ownCopy() makes the engine copy the characters into a string of their own.
 */
function detached(a: Attributes): Attributes {
  const copy: Attributes = {};
  for (const key of ['type', ...USED]) {
    const value = a[key];
    if (value !== undefined) copy[key] = ownCopy(value);
  }
  return copy;
}

/**
 * A value as Apple writes it: a decimal ("72", "36.6", "1.2e-05"). Number() also reads "0x48", "0b1001000"
 * and "0o110" as 72, and white space as 0; no export writes those, so they are NaN here (unreadable), and
 * -0 is 0. Checked by its second character only: this runs for every value of a multi-GB file.
 */
export function exportNumber(text: string | undefined): number {
  if (text === undefined || text.length === 0) return NaN;
  const second = text.charCodeAt(1) | 32;
  if (second === 120 || second === 98 || second === 111) return NaN;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first <= 32 || last <= 32) return NaN;
  return Number(text) + 0;
}

function sentHalf(half: PressureHalf): PartHalf {
  return { attributes: half.attributes, line: half.line() };
}

function pairKey(a: Attributes): string {
  return `${a.startDate ?? ''}|${a.endDate ?? ''}|${a.sourceName ?? ''}`;
}

async function isZip(path: string): Promise<boolean> {
  const file = await openRegularFile(path);
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await file.close();
  }
}

interface OpenedXml {
  chunks: AsyncIterable<Buffer>;
  total: number;
  entries: ZipEntry[];
  /** A plain file read in two parts: `chunks` end where the later part, read by another thread, starts. */
  laterPart?: { start: number; reader: LaterPartReader };
}

async function openXml(input: HomeImportInput, version: FileVersion): Promise<OpenedXml> {
  const size = version.size;
  if (!(await isZip(input.path))) {
    const thread = input.partThread;
    const start =
      thread && size >= (thread.minBytes ?? LATER_PART_MIN_BYTES)
        ? await findLaterPartStart(input.path, size)
        : null;
    if (thread && start !== null) {
      return {
        chunks: regularFileChunks(input.path, { highWaterMark: CHUNK_BYTES, end: start - 1 }),
        total: size,
        entries: [],
        laterPart: { start, reader: startLaterPart(thread, input.path, start, size) },
      };
    }
    return { chunks: stableChunks(input.path, version), total: size, entries: [] };
  }
  try {
    const entries = await listZipEntries(input.path, size);
    const entry = findAppleHealthXmlEntry(entries);
    if (!entry) throw new SourceError('This zip holds no Apple Health export.xml.');
    return {
      entries,
      chunks: inflateEntry(input.path, entry, {
        maxBytes: input.maxBytes,
        ...(input.signal ? { signal: input.signal } : {}),
      }),
      total: entry.uncompressedSize,
    };
  } catch (error) {
    if (error instanceof ZipError) throw new SourceError(`This zip file is refused: ${error.message}.`);
    throw error;
  }
}

/**
 * The line the later part starts on, when the first part's reader stands exactly between two top-level
 * elements of the export; null when it does not.
 */
function lineBetweenTopLevelElements(scanner: HealthXmlScanner): number | null {
  const boundary = scanner.boundary();
  const between =
    boundary.pendingChars === 0 && boundary.open.length === 1 && boundary.open[0] === 'HealthData';
  return between ? boundary.line : null;
}

/**
 * The later part, read by the other thread, joined to the first once that is read: its record batches
 * as they come, then what only its end settles. False when the thread failed before the part's end.
 */
async function* joinLaterPart(
  input: HomeImportInput,
  handler: HealthExportHandler,
  part: NonNullable<OpenedXml['laterPart']>,
  line: number,
  progress: (bytes: number) => HomeImportEvent,
): AsyncGenerator<HomeImportEvent, boolean> {
  for (;;) {
    throwIfAborted(input.signal);
    const message = await part.reader.next();
    if (message.type === 'failed') return false;
    yield progress(part.start + message.bytesRead);
    if (message.type === 'records') {
      yield { type: 'laterRecords', records: message.records };
      continue;
    }
    yield* message.held;
    handler.adoptLaterPart(message.state, line);
    yield* handler.queue.splice(0);
    if (message.fault) throw new XmlError(message.fault.message, line + message.fault.line - 1);
    return true;
  }
}

async function* read(input: HomeImportInput): AsyncGenerator<HomeImportEvent> {
  const version = await versionWithinLimit(input);
  const { chunks, total, entries, laterPart } = await openXml(input, version);
  const handler = new HealthExportHandler();
  const scanner = new HealthXmlScanner(handler, SCANNER_OPTIONS);
  let bytesRead = 0;
  let first = true;
  /** The later part, while the other thread reads it (until it is joined, or dropped and read here). */
  let otherThread = laterPart;
  /** The later part was read by the other thread and taken over (not dropped and read here). */
  let joined = false;
  const progress = (bytes: number): HomeImportEvent => ({
    type: 'progress',
    bytesRead: bytes,
    bytesTotal: total,
  });
  async function* scan(source: AsyncIterable<Buffer>): AsyncGenerator<HomeImportEvent> {
    for await (const chunk of source) {
      throwIfAborted(input.signal);
      bytesRead += chunk.length;
      let text = chunk.toString('latin1');
      // A UTF-8 byte-order mark, as Latin-1.
      if (first && text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
      first = false;
      scanner.push(text);
      yield* handler.queue.splice(0);
      if (otherThread) {
        for (const records of otherThread.reader.take()) yield { type: 'laterRecords', records };
      }
      yield progress(bytesRead + (otherThread?.reader.bytesRead ?? 0));
    }
  }
  try {
    yield* scan(chunks);
    throwIfAborted(input.signal);
    const splitLine = laterPart ? lineBetweenTopLevelElements(scanner) : null;
    if (laterPart && splitLine !== null) {
      joined = yield* joinLaterPart(input, handler, laterPart, splitLine, progress);
    }
    if (!joined) {
      if (laterPart) {
        // Not split between two elements (a file not laid out as Apple writes it), or the other thread
        // failed (out of its memory, say): what it sent is dropped and the rest is read here.
        otherThread = undefined;
        await laterPart.reader.stop();
        yield { type: 'laterRecordsDropped' };
        yield* scan(
          regularFileChunks(input.path, {
            highWaterMark: CHUNK_BYTES,
            start: laterPart.start,
            end: version.size - 1,
          }),
        );
      }
      // A file cut short is refused here.
      scanner.end();
    }
  } catch (error) {
    // Events found before the fault still go out, then the fault: the pipeline imports nothing of it.
    yield* handler.queue.splice(0);
    if (error instanceof XmlError) {
      throw new SourceError(
        `The export is not well-formed at line ${error.line}: ${error.message}`,
        error.line,
      );
    }
    if (error instanceof ZipError) throw new SourceError(`This zip file is refused: ${error.message}.`);
    throw error;
  } finally {
    await laterPart?.reader.stop();
  }
  handler.finish();
  const subject = handler.subject;
  if (joined) {
    // What only the file's end settles (pressure pairs, day and night totals) is staged after the later
    // part's records, where a one-part read stages it: the preview's first rows are the same.
    const atEnd = handler.queue.flatMap((event) => (event.type === 'record' ? [event.record] : []));
    yield* handler.queue.filter((event) => event.type !== 'record');
    if (atEnd.length > 0) yield { type: 'laterRecords', records: atEnd };
  } else yield* handler.queue;
  try {
    // The ECG files beside export.xml: the first birth date other than the `Me` one goes to the subject
    // check, and stays there: a later ECG that agrees with `Me` does not hide another person's.
    const meBirthDate = subject?.birthDate?.slice(0, 10);
    let otherBirthDate: string | undefined;
    for await (const event of readEcgEntries(input.path, entries, input)) {
      if (event.type === 'ecg' && event.birthDate && !otherBirthDate && event.birthDate !== meBirthDate) {
        otherBirthDate = event.birthDate;
        yield { type: 'subject', subject: { ...subject, birthDate: otherBirthDate } };
      }
      yield event;
    }
  } catch (error) {
    if (error instanceof ZipError) throw new SourceError(`This zip file is refused: ${error.message}.`);
    throw error;
  }
  // Read in parts, from a zip or on two threads: any change to the file meanwhile refuses what was read.
  await throwIfChanged(input.path, version);
}

export const readAppleHealth = guarded(read);
