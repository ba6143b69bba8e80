/**
 * The Health app writes an ECG file's header keys and classification in the phone's language. Each
 * language this app reads, as a table: the same recording written in it reads to the same ECG with the
 * same coded classification. The German wording is the one seen in real German exports (keys folded,
 * "511,422 hertz" with a decimal comma). A header in a language not read is left out with a message
 * naming the file, never read into the wrong field.
 */
import { describe, expect, it } from 'vitest';
import { ECG_KEY_ALIASES, parseAppleEcgCsv } from '../../../main/import/formats/apple-health/ecg';
import { appleEcgCsv } from '../../sim/home-data/apple-health';

/** The English header keys as each language writes them. */
const KEYS: Record<string, Record<string, string>> = {
  English: {},
  German: {
    'Date of Birth': 'Geburtstag',
    'Recorded Date': 'Aufzeichnungsdatum',
    Classification: 'Klassifizierung',
    Symptoms: 'Symptome',
    'Software Version': 'Softwareversion',
    Device: 'Gerät',
    'Sample Rate': 'Messrate',
    Lead: 'Ableitung',
    Unit: 'Einheit',
  },
};

/** The birth date 12 April 1961 as each language writes it (German: as in the header of a real export). */
const BIRTH_DATE: Record<string, string> = { English: 'Apr 12, 1961', German: '12.04.1961' };

function inLanguage(csv: string, language: string, rate = '512 hertz'): string {
  return csv
    .replace(/^Sample Rate,.*$/m, `Sample Rate,"${rate}"`)
    .replace(/^Date of Birth,.*$/m, `Date of Birth,"${BIRTH_DATE[language]!}"`)
    .replace(/^([A-Za-z ]+),/gm, (line, key: string) => {
      const local = KEYS[language]![key];
      return local ? `${local},` : line;
    });
}

describe('Apple ECG files in the phone’s language', () => {
  it.each([
    // [language, classification as written, coded, sample rate as written, Hz]
    ['English', 'Sinus Rhythm', 'sinusRhythm', '512 hertz', 512],
    ['English', 'Atrial Fibrillation', 'atrialFibrillation', '512 hertz', 512],
    ['English', 'Inconclusive', 'inconclusive', '512 Hz', 512],
    ['German', 'Sinusrhythmus', 'sinusRhythm', '511,422\u00a0hertz', 511.422],
    ['German', 'Uneindeutig', 'inconclusive', '512 hertz', 512],
    ['German', 'SINUSRHYTHMUS', 'sinusRhythm', '512 hertz', 512],
  ])('%s: “%s” is %s, sampled at %s', (language, written, coded, rate, hz) => {
    const csv = inLanguage(
      appleEcgCsv({ classification: written, symptoms: 'Herzrasen', seconds: 2 }),
      language,
      rate,
    );
    // Every key of the header is in that language.
    for (const local of Object.values(KEYS[language]!)) expect(csv).toMatch(new RegExp(`^${local},`, 'm'));
    const parsed = parseAppleEcgCsv(csv, 'ecg_2026-11-01.csv');
    if ('problem' in parsed) throw new Error(parsed.problem.message);
    expect(parsed.ecg).toMatchObject({
      recordedAt: '2026-11-01T07:15:02.000Z',
      classification: coded,
      classificationText: written,
      symptoms: ['Herzrasen'],
      device: 'Watch7,3',
      softwareVersion: '2',
      lead: 'Lead I',
      sampleRateHz: hz,
      sampleCount: 1024,
    });
    expect(parsed.birthDate).toBe('1961-04-12');
    expect(parsed.name).toBe('Jane Appleseed');
  });

  it('reads a German header as a real export writes it, birth date included, for the chart check', () => {
    // Key for key as the open-source parser's fixture of a real German export: a "Name" line with no
    // value, blank lines inside the header, a no-break space before "Hertz", samples with a decimal comma.
    const csv = [
      'Name',
      'Geburtstag,"27.03.1987"',
      'Aufzeichnungsdatum,2020-07-31 22:48:19 +0200',
      'Klassifizierung,Sinusrhythmus',
      'Symptome,',
      'Softwareversion,1.13',
      'Gerät,"Watch4,2"',
      'Messrate,511,562\u00a0Hertz',
      '',
      '',
      'Ableitung,Ableitung I',
      'Einheit,µV',
      '',
      '-180,596',
      '-199,83',
      '-217,333',
    ].join('\n');
    const parsed = parseAppleEcgCsv(csv, 'ecg_2020-07-31.csv');
    if ('problem' in parsed) throw new Error(parsed.problem.message);
    expect(parsed.birthDate).toBe('1987-03-27');
    expect(parsed.name).toBeUndefined();
    expect(parsed.ecg).toMatchObject({
      recordedAt: '2020-07-31T20:48:19.000Z',
      classification: 'sinusRhythm',
      device: 'Watch4,2',
      lead: 'Ableitung I',
      sampleRateHz: 511.562,
      sampleCount: 3,
    });
    expect([...parsed.samples].map((v) => Math.round(v * 1000) / 1000)).toEqual([
      -180.596, -199.83, -217.333,
    ]);
  });

  it('reads every German key a real export writes', () => {
    expect(Object.keys(ECG_KEY_ALIASES).sort()).toEqual(
      Object.values(KEYS.German!)
        .map((k) =>
          k
            .normalize('NFD')
            .replace(/\p{M}+/gu, '')
            .toLowerCase(),
        )
        .sort(),
    );
  });

  it('leaves out a file whose header is in a language it does not read, naming the file', () => {
    // Keys this app does not know, whatever language they are in.
    const csv = appleEcgCsv({ seconds: 1 })
      .replace(/^Recorded Date,/m, 'Datum xyz,')
      .replace(/^Classification,/m, 'Klasse xyz,')
      .replace(/^Sample Rate,/m, 'Rate xyz,');
    const parsed = parseAppleEcgCsv(csv, 'ecg_2026-11-01.csv');
    expect(parsed).toEqual({
      problem: {
        severity: 'warning',
        message:
          'ECG ecg_2026-11-01.csv was left out: its header ("name", "date of birth", "datum xyz"…) is in a language this app does not read yet (English and German are read).',
      },
    });
  });

  it('still reads an English file that lacks one key, and says which', () => {
    const csv = appleEcgCsv({ seconds: 1 }).replace(/^Classification,.*$/m, '');
    const parsed = parseAppleEcgCsv(csv, 'ecg_2026-11-01.csv');
    expect('problem' in parsed && parsed.problem.message).toMatch(/no classification line/);
  });
});
