/**
 * Apple Health's ECG recordings: `apple_health_export/electrocardiograms/ecg_<date>.csv` in export.zip.
 * Each file is a header of "Key,Value" lines (Name, Date of Birth, Recorded Date, Classification,
 * Symptoms, Software Version, Device, Sample Rate, Lead, Unit) and then one sample per line in the
 * stated unit (µV). The name and birth date only feed the subject check; neither is stored.
 */
import { ECG_MAX_SAMPLES, type EcgClassification, type HomeEcg } from '../../../../shared/home-data/ecg';
import { daysInMonth } from '../../../../shared/records/calendar';
import { foldAccents } from '../../../../shared/records/fold';
import type { ImportProblem } from '../../../../shared/home-data/record';
import type { ZipEntry } from '../../zip/central-directory';
import { inflateEntry } from '../../zip/entry-stream';
import type { HomeImportEvent } from '../events';
import { splitCsv, throwIfAborted } from '../source-file';
import { appleDateToIso } from './dates';

/** A 30-second trace at 512 Hz is about 150 KB; anything far larger is not a watch ECG. */
export const ECG_MAX_BYTES = 4 * 1024 ** 2;
export { ECG_MAX_SAMPLES };
/**
 * Recordings read from one export: nearly three years of daily ECGs. Their traces are held until the
 * import is stored (about 60 KB each), so this bounds the memory an export's ECGs can take.
 */
export const ECG_MAX_FILES = 1_000;

export function isEcgEntry(name: string): boolean {
  return /(^|\/)electrocardiograms\/[^/]+\.csv$/i.test(name);
}

export interface ParsedEcg {
  ecg: HomeEcg;
  /** In µV. */
  samples: Float32Array;
  /** Only to compare with the chart (ISO date), never stored. */
  birthDate?: string;
  /** The "Name" line, only to compare with the chart, never stored. */
  name?: string;
}

/** Lower case without accents: "Gerät" and "gerat" are the same key. */
const fold = (text: string): string => foldAccents(text).trim();

/**
 * The Health app writes the header keys, and the classification, in the phone's language. Only wordings
 * seen in real exports are here: the German ones as an open-source TypeScript parser of Apple Health ECG
 * CSVs records them from real German exports (its METADATA_KEY_ALIASES and CLASSIFICATION_ALIASES). No
 * real French, Spanish, Italian or Dutch export has been seen, so those are not guessed: a file in a
 * language not listed is left out with a message naming it, never read into the wrong field.
 */
export const ECG_KEY_ALIASES: Readonly<Record<string, string>> = {
  // German
  geburtstag: 'date of birth',
  aufzeichnungsdatum: 'recorded date',
  klassifizierung: 'classification',
  symptome: 'symptoms',
  softwareversion: 'software version',
  gerat: 'device',
  messrate: 'sample rate',
  ableitung: 'lead',
  einheit: 'unit',
};

/** Classifications in another language, to the English wording classifyEcg reads (same sources). */
export const ECG_CLASSIFICATION_ALIASES: Readonly<Record<string, string>> = {
  // German
  sinusrhythmus: 'Sinus Rhythm',
  uneindeutig: 'Inconclusive',
};

/** The English keys every recording has: without them a header is in a language this app does not read. */
const REQUIRED_KEYS = ['recorded date', 'classification', 'sample rate'] as const;

export function classifyEcg(text: string): EcgClassification {
  const t = (ECG_CLASSIFICATION_ALIASES[fold(text)] ?? text).toLowerCase();
  if (t.includes('sinus')) return 'sinusRhythm';
  if (t.includes('atrial fibrillation') || t.includes('afib')) return 'atrialFibrillation';
  if (t.includes('poor record') || t.includes('poor reading')) return 'poorRecording';
  if (t.includes('high heart rate') || /over 1[0-9]0/.test(t)) return 'highHeartRate';
  if (t.includes('low heart rate') || /under [0-9]+/.test(t)) return 'lowHeartRate';
  if (t.includes('inconclusive')) return 'inconclusive';
  return 'other';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The birth date as the file prints it, as an ISO date; undefined when it is not one of these forms or
 * not a real day. "1961-07-14"; "Jul 14, 1961" and "14 Jul 1961" (English); "14.07.1961", day first,
 * as a phone set to German writes it (the real German header the open-source parser above records
 * writes `Geburtstag,"27.03.1987"`).
 */
export function ecgBirthDate(text: string): string | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const words = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})$/.exec(t);
  const dayFirst = /^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})$/.exec(t);
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (words)
    [y, m, d] = [Number(words[3]), MONTHS.indexOf(words[1]!.toLowerCase()) + 1, Number(words[2])];
  else if (dayFirst)
    [y, m, d] = [Number(dayFirst[3]), MONTHS.indexOf(dayFirst[2]!.toLowerCase()) + 1, Number(dayFirst[1])];
  else if (dotted) [y, m, d] = [Number(dotted[3]), Number(dotted[2]), Number(dotted[1])];
  else return undefined;
  if (d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const UNIT_SCALE: Readonly<Record<string, number>> = { µv: 1, μv: 1, uv: 1, mv: 1000 };

/** Why a header cannot be read when none of the keys every recording has are in it (in a known language). */
function foreignHeader(header: ReadonlyMap<string, string>): string | undefined {
  if (REQUIRED_KEYS.some((k) => header.has(k))) return undefined;
  // Key names only (never their values), to help recognise the language.
  const keys = [...header.keys()].filter((k) => k.length <= 40).slice(0, 3);
  const shown = keys.length > 0 ? ` (${keys.map((k) => `"${k}"`).join(', ')}…)` : '';
  return `its header${shown} is in a language this app does not read yet (English and German are read).`;
}

/** One ECG file's text. A problem (and no ECG) when it is not a readable recording. */
export function parseAppleEcgCsv(text: string, fileName: string): ParsedEcg | { problem: ImportProblem } {
  const refuse = (message: string): { problem: ImportProblem } => ({
    problem: { severity: 'warning', message: `ECG ${fileName} was left out: ${message}` },
  });
  const header = new Map<string, string>();
  const samples: number[] = [];
  let scale: number | undefined;
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (scale !== undefined || /^-?\d/.test(line) || /^"-?\d/.test(line)) {
      // A locale with a decimal comma writes "-108,218" in quotes.
      const value = Number(line.replace(/^"(.*)"$/, '$1').replace(',', '.'));
      if (!Number.isFinite(value)) return refuse(`a sample is not a number ("${line.slice(0, 20)}").`);
      if (scale === undefined) {
        const foreign = foreignHeader(header);
        if (foreign) return refuse(foreign);
        const unit = (header.get('unit') ?? '').toLowerCase().replace(/\s/g, '');
        scale = Object.hasOwn(UNIT_SCALE, unit) ? UNIT_SCALE[unit] : undefined;
        if (scale === undefined) return refuse(`its unit "${header.get('unit') ?? ''}" is not µV or mV.`);
      }
      if (samples.length >= ECG_MAX_SAMPLES) return refuse(`it holds more than ${ECG_MAX_SAMPLES} samples.`);
      samples.push(value * scale);
      continue;
    }
    const cells = splitCsv(line, ',');
    if (!cells || cells.length === 0) continue;
    const key = fold(cells[0]!);
    header.set(ECG_KEY_ALIASES[key] ?? key, cells.slice(1).join(',').trim());
  }
  const foreign = foreignHeader(header);
  if (foreign) return refuse(foreign);
  const recorded = appleDateToIso(header.get('recorded date') ?? '');
  if (!recorded) return refuse('its recorded date is missing or not a date.');
  const classificationText = header.get('classification');
  if (classificationText === undefined) return refuse('it has no classification line.');
  // "512 hertz", or "511,422 hertz" from a phone set to a decimal comma.
  const rate = Number.parseFloat((header.get('sample rate') ?? '').replace(',', '.'));
  if (!(rate > 0)) return refuse('its sample rate is missing.');
  if (samples.length === 0) return refuse('it holds no samples.');
  const heartRate = Number.parseFloat(
    (header.get('average heart rate') ?? header.get('heart rate') ?? '').replace(',', '.'),
  );
  const symptoms = (header.get('symptoms') ?? '')
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 128)
    .slice(0, 20);
  const text256 = (key: string, max: number): string | undefined => {
    const v = header.get(key)?.trim();
    return v ? v.slice(0, max) : undefined;
  };
  const device = text256('device', 256);
  const softwareVersion = text256('software version', 64);
  const lead = text256('lead', 64);
  const birthDate = ecgBirthDate(header.get('date of birth') ?? '');
  const name = header
    .get('name')
    ?.replace(/^"(.*)"$/, '$1')
    .trim()
    .slice(0, 256);
  return {
    ecg: {
      sourceRecordId: `ecg:${recorded}`,
      recordedAt: recorded,
      classification: classifyEcg(classificationText),
      classificationText: classificationText.slice(0, 128),
      ...(heartRate > 0 && heartRate < 400 ? { averageHeartRate: heartRate } : {}),
      symptoms,
      ...(device ? { device } : {}),
      ...(softwareVersion ? { softwareVersion } : {}),
      sampleRateHz: rate,
      ...(lead ? { lead } : {}),
      sampleCount: samples.length,
    },
    samples: Float32Array.from(samples),
    ...(birthDate ? { birthDate } : {}),
    ...(name ? { name } : {}),
  };
}

/**
 * The ECG members of an export.zip, each inflated (bounded) and parsed. A bad file is a warning and is
 * left out; the rest of the export still imports.
 */
export async function* readEcgEntries(
  path: string,
  entries: readonly ZipEntry[],
  limits: { maxBytes: number; signal?: AbortSignal },
): AsyncGenerator<HomeImportEvent> {
  const ecgs = entries.filter((e) => isEcgEntry(e.name)).sort((a, b) => a.name.localeCompare(b.name));
  if (ecgs.length > ECG_MAX_FILES) {
    yield {
      type: 'problem',
      problem: {
        severity: 'warning',
        message: `The export holds ${ecgs.length} ECGs; the first ${ECG_MAX_FILES} were read.`,
      },
    };
  }
  for (const entry of ecgs.slice(0, ECG_MAX_FILES)) {
    throwIfAborted(limits.signal);
    const fileName = entry.name.split('/').pop() ?? entry.name;
    if (entry.uncompressedSize > ECG_MAX_BYTES) {
      yield {
        type: 'problem',
        problem: {
          severity: 'warning',
          message: `ECG ${fileName} was left out: it is larger than any watch recording.`,
        },
      };
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of inflateEntry(path, entry, {
      maxBytes: Math.min(limits.maxBytes, ECG_MAX_BYTES),
      ...(limits.signal ? { signal: limits.signal } : {}),
    })) {
      chunks.push(chunk);
    }
    const parsed = parseAppleEcgCsv(Buffer.concat(chunks).toString('utf8'), fileName);
    if ('problem' in parsed) yield { type: 'problem', problem: parsed.problem };
    else yield { type: 'ecg', ...parsed };
  }
}
