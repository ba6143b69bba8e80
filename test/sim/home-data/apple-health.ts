/**
 * Apple Health exports as the iPhone writes them (export.xml inside apple_health_export/ of export.zip):
 * the DOCTYPE with its internal subset, <Me>, then records grouped by type, blood pressure as a correlation
 * whose members also appear at top level, device descriptions with escaped angle brackets, metadata
 * children on some records. `writeAppleHealthXml` streams any size to disk (the bench writes 1 GB).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pad2, seeded, type Random } from './random';
import { zipBytes, type ZipMember } from './zip-writer';
import { writeFile } from 'node:fs/promises';

export const APPLE_HEALTH_PROLOGUE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
]>
`;

export interface AppleHealthOptions {
  seed?: number;
  /** Stop once this many records are written (blood pressure counts its correlation once). */
  records?: number;
  /** Or stop near this many bytes. */
  targetBytes?: number;
  birthDate?: string;
  /** The name the ECG files print (their "Name" line), as the phone's owner set it. */
  name?: string;
  /** ECG files beside export.xml (writeAppleHealthZip; default one sinus-rhythm recording). */
  ecgs?: readonly AppleEcgOptions[];
  sex?: 'HKBiologicalSexFemale' | 'HKBiologicalSexMale' | 'HKBiologicalSexNotSet';
  /** First day (UTC fields used as local wall-clock time, written at +01:00). */
  start?: Date;
}

const IPHONE = 'Jane’s iPhone';
const WATCH = 'Jane’s Apple Watch';
const IPHONE_DEVICE =
  '&lt;&lt;HKDevice: 0x281f2c0f0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone15,2, software:17.1.1&gt;';
const WATCH_DEVICE =
  '&lt;&lt;HKDevice: 0x283fd0e10&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.1&gt;';

/** What a generated export holds, for tests and the bench to check the reader against. */
export interface AppleHealthSummary {
  records: number;
  bytes: number;
  counts: Record<string, number>;
}

/** The share of each kind, as in a real export: mostly steps, energy and distance. */
const MIX: readonly [string, number][] = [
  ['steps', 0.42],
  ['energy', 0.33],
  ['distance', 0.1],
  ['heartRate', 0.1],
  ['spo2', 0.015],
  ['respiratoryRate', 0.01],
  ['bloodPressure', 0.004],
  ['restingHeartRate', 0.003],
  ['sleep', 0.012],
  ['glucose', 0.004],
  ['bodyMass', 0.001],
  ['temperature', 0.0005],
  ['height', 0.0005],
];

function date(ms: number): string {
  const d = new Date(ms + 3_600_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0100`;
}

function record(
  type: string,
  unit: string | undefined,
  value: string,
  startMs: number,
  endMs: number,
  watch: boolean,
  extra = '',
  withDevice = true,
): string {
  const source = watch ? WATCH : IPHONE;
  const device = withDevice ? ` device="${watch ? WATCH_DEVICE : IPHONE_DEVICE}"` : '';
  const unitAttr = unit === undefined ? '' : ` unit="${unit}"`;
  const head = ` <Record type="${type}" sourceName="${source}" sourceVersion="${watch ? '10.1' : '17.1.1'}"${device}${unitAttr} creationDate="${date(endMs + 5000)}" startDate="${date(startMs)}" endDate="${date(endMs)}" value="${value}"`;
  return extra ? `${head}>\n${extra}  </Record>\n` : `${head}/>\n`;
}

const METADATA = '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n';

/** One record of a kind, its time from `ms`. Returns the XML. */
function recordOf(kind: string, ms: number, r: Random): string {
  const watch = r.next() < 0.5;
  switch (kind) {
    case 'steps':
      return record(
        'HKQuantityTypeIdentifierStepCount',
        'count',
        String(r.int(5, 900)),
        ms,
        ms + 600_000,
        watch,
        '',
        false,
      );
    case 'energy':
      return record(
        'HKQuantityTypeIdentifierActiveEnergyBurned',
        'kcal',
        (r.next() * 20).toFixed(3),
        ms,
        ms + 60_000,
        true,
        '',
        false,
      );
    case 'distance':
      return record(
        'HKQuantityTypeIdentifierDistanceWalkingRunning',
        'km',
        (r.next() * 0.5).toFixed(5),
        ms,
        ms + 600_000,
        watch,
        '',
        false,
      );
    case 'heartRate':
      return record(
        'HKQuantityTypeIdentifierHeartRate',
        'count/min',
        String(r.int(55, 120)),
        ms,
        ms,
        true,
        r.next() < 0.3 ? METADATA : '',
      );
    case 'restingHeartRate':
      return record(
        'HKQuantityTypeIdentifierRestingHeartRate',
        'count/min',
        String(r.int(52, 75)),
        ms,
        ms + 86_000_000,
        true,
      );
    case 'spo2':
      return record(
        'HKQuantityTypeIdentifierOxygenSaturation',
        '%',
        (r.int(93, 100) / 100).toFixed(2),
        ms,
        ms,
        true,
      );
    case 'respiratoryRate':
      return record(
        'HKQuantityTypeIdentifierRespiratoryRate',
        'count/min',
        (12 + r.next() * 6).toFixed(1),
        ms,
        ms + 60_000,
        true,
      );
    case 'temperature':
      return record(
        'HKQuantityTypeIdentifierBodyTemperature',
        'degC',
        (36.3 + r.next()).toFixed(1),
        ms,
        ms,
        false,
      );
    case 'bodyMass':
      return record('HKQuantityTypeIdentifierBodyMass', 'kg', (70 + r.next() * 3).toFixed(1), ms, ms, false);
    case 'height':
      return record('HKQuantityTypeIdentifierHeight', 'cm', '168', ms, ms, false);
    case 'glucose':
      return r.next() < 0.5
        ? record('HKQuantityTypeIdentifierBloodGlucose', 'mg/dL', String(r.int(80, 180)), ms, ms, false)
        : record(
            'HKQuantityTypeIdentifierBloodGlucose',
            'mmol&lt;180.1558800000541&gt;/L',
            (4 + r.next() * 6).toFixed(1),
            ms,
            ms,
            false,
          );
    case 'sleep': {
      const stages = [
        'HKCategoryValueSleepAnalysisAsleepCore',
        'HKCategoryValueSleepAnalysisAsleepDeep',
        'HKCategoryValueSleepAnalysisAsleepREM',
        'HKCategoryValueSleepAnalysisAwake',
        'HKCategoryValueSleepAnalysisInBed',
      ];
      return record(
        'HKCategoryTypeIdentifierSleepAnalysis',
        undefined,
        r.pick(stages),
        ms,
        ms + r.int(10, 90) * 60_000,
        true,
      );
    }
    case 'bloodPressure': {
      const sys = String(r.int(105, 150));
      const dia = String(r.int(65, 95));
      const members =
        record('HKQuantityTypeIdentifierBloodPressureSystolic', 'mmHg', sys, ms, ms, false).replace(
          /^ /,
          '  ',
        ) +
        record('HKQuantityTypeIdentifierBloodPressureDiastolic', 'mmHg', dia, ms, ms, false).replace(
          /^ /,
          '  ',
        );
      const correlation = ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="${IPHONE}" sourceVersion="17.1.1" device="${IPHONE_DEVICE}" creationDate="${date(ms + 5000)}" startDate="${date(ms)}" endDate="${date(ms)}">\n  <MetadataEntry key="HKWasUserEntered" value="1"/>\n${members} </Correlation>\n`;
      // The members are written at top level too, as the iPhone does.
      return (
        record('HKQuantityTypeIdentifierBloodPressureSystolic', 'mmHg', sys, ms, ms, false) +
        record('HKQuantityTypeIdentifierBloodPressureDiastolic', 'mmHg', dia, ms, ms, false) +
        correlation
      );
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** The average size of one record of the mix, measured on a sample, to reach a target file size. */
function averageRecordBytes(): number {
  const r = seeded(1);
  let bytes = 0;
  let weight = 0;
  for (const [kind, share] of MIX) {
    let kindBytes = 0;
    for (let i = 0; i < 200; i++)
      kindBytes += Buffer.byteLength(recordOf(kind, Date.UTC(2025, 0, 1) + i * 60_000, r));
    bytes += (kindBytes / 200) * share;
    weight += share;
  }
  return bytes / weight;
}

/** Streams a whole export.xml to `path`. Records are grouped by kind in time order, as Apple writes them. */
export async function writeAppleHealthXml(
  path: string,
  options: AppleHealthOptions = {},
): Promise<AppleHealthSummary> {
  const r = seeded(options.seed ?? 42);
  const total = options.records ?? Math.round((options.targetBytes ?? 1_000_000) / averageRecordBytes());
  const start = (options.start ?? new Date(Date.UTC(2024, 0, 1))).getTime();
  const out = createWriteStream(path, { highWaterMark: 4 * 1024 * 1024 });
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(APPLE_HEALTH_PROLOGUE);
  await write(`<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 10:00:00 +0100"/>\n`);
  await write(
    ` <Me HKCharacteristicTypeIdentifierDateOfBirth="${options.birthDate ?? '1961-04-12'}" HKCharacteristicTypeIdentifierBiologicalSex="${options.sex ?? 'HKBiologicalSexFemale'}" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n`,
  );
  const counts: Record<string, number> = {};
  let written = 0;
  for (const [kind, share] of MIX) {
    const n =
      kind === MIX[0]?.[0]
        ? total - MIX.slice(1).reduce((s, [, sh]) => s + Math.round(total * sh), 0)
        : Math.round(total * share);
    counts[kind] = n;
    // Spread the kind's records over two years, in time order.
    const stepMs = Math.max(1000, Math.floor((2 * 365 * 86_400_000) / Math.max(n, 1)));
    let batch: string[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(recordOf(kind, start + i * stepMs + r.int(0, 59) * 1000, r));
      if (batch.length === 2000) {
        await write(batch.join(''));
        batch = [];
      }
    }
    if (batch.length > 0) await write(batch.join(''));
    written += n;
  }
  await write(
    ' <ActivitySummary dateComponents="2026-11-29" activeEnergyBurned="512.3" activeEnergyBurnedGoal="600" activeEnergyBurnedUnit="kcal"/>\n</HealthData>\n',
  );
  out.end();
  await once(out, 'finish');
  return { records: written, bytes, counts };
}

/** A small export.xml as text, for tests: the given records between the export's head and tail. */
export function appleHealthXml(
  body: string,
  me = '<Me HKCharacteristicTypeIdentifierDateOfBirth="1961-04-12" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>',
  exportDate = '2026-11-30 10:00:00 +0100',
): string {
  return `${APPLE_HEALTH_PROLOGUE}<HealthData locale="en_GB">\n <ExportDate value="${exportDate}"/>\n ${me}\n${body}</HealthData>\n`;
}

export interface AppleEcgOptions {
  /** As Apple writes it: "2026-11-01 08:15:02 +0100". */
  recorded?: string;
  classification?: string;
  symptoms?: string;
  /** As the file prints it, e.g. "Apr 12, 1961". */
  birthDate?: string;
  /** The "Name" line (default Jane Appleseed). */
  name?: string;
  seconds?: number;
  unit?: string;
}

/**
 * One ECG file as the Health app writes it into export.zip (apple_health_export/electrocardiograms/):
 * the header lines, a blank line, then one Lead I sample in µV per line at 512 Hz. The trace is a
 * synthetic beat at 72/min, enough to draw; it is no physiological model.
 */
export function appleEcgCsv(options: AppleEcgOptions = {}): string {
  const rate = 512;
  const header = [
    `Name,${options.name ?? 'Jane Appleseed'}`,
    `Date of Birth,"${options.birthDate ?? 'Apr 12, 1961'}"`,
    `Recorded Date,${options.recorded ?? '2026-11-01 08:15:02 +0100'}`,
    `Classification,${options.classification ?? 'Sinus Rhythm'}`,
    `Symptoms,${options.symptoms ?? ''}`,
    'Software Version,2',
    'Device,"Watch7,3"',
    'Sample Rate,512 hertz',
    '',
    'Lead,Lead I',
    `Unit,${options.unit ?? 'µV'}`,
    '',
  ];
  const samples: string[] = [];
  const n = rate * (options.seconds ?? 30);
  for (let i = 0; i < n; i++) {
    const t = (i % Math.round(rate / 1.2)) / rate;
    const qrs = Math.exp(-(((t - 0.2) / 0.012) ** 2)) * 900;
    const wave = Math.exp(-(((t - 0.45) / 0.05) ** 2)) * 180 + Math.exp(-(((t - 0.08) / 0.03) ** 2)) * 90;
    samples.push((qrs + wave - 40).toFixed(3));
  }
  return `${header.join('\n')}\n${samples.join('\n')}\n`;
}

/** export.zip as the iPhone shares it: apple_health_export/export.xml, the CDA document and an ECG. */
export function appleHealthZip(
  xml: string,
  extra: readonly ZipMember[] = [],
  ecgs: readonly AppleEcgOptions[] = [{}],
): Buffer {
  return zipBytes([
    { name: 'apple_health_export/export.xml', data: xml },
    { name: 'apple_health_export/export_cda.xml', data: '<?xml version="1.0"?><ClinicalDocument/>' },
    ...ecgs.map((ecg, i) => ({
      name: `apple_health_export/electrocardiograms/ecg_${(ecg.recorded ?? '2026-11-01').slice(0, 10)}${i > 0 ? `_${i}` : ''}.csv`,
      data: appleEcgCsv(ecg),
    })),
    ...extra,
  ]);
}

/** A generated export of `records` records as export.zip, for end-to-end tests. */
export async function writeAppleHealthZip(
  zipPath: string,
  xmlScratchPath: string,
  options: AppleHealthOptions = {},
): Promise<AppleHealthSummary> {
  const summary = await writeAppleHealthXml(xmlScratchPath, options);
  const { readFile } = await import('node:fs/promises');
  const dob = options.birthDate ?? '1961-04-12';
  const ecgs = (options.ecgs ?? [{}]).map((ecg) => ({
    birthDate: dob,
    ...(options.name ? { name: options.name } : {}),
    ...ecg,
  }));
  await writeFile(zipPath, appleHealthZip(await readFile(xmlScratchPath, 'utf8'), [], ecgs));
  return summary;
}
