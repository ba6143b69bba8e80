/**
 * Apple Health's ECG files (apple_health_export/electrocardiograms/ecg_<date>.csv). The layout — header
 * lines then one µV sample per line, read elsewhere with `skip = 12` — is the one described at
 * https://rud.is/b/2021/02/14/extracting-heart-rate-data-from-apple-health-xml-export-files-using-r-a-k-a-the-least-romantic-valentines-day-r-post
 * and in HealthKit's HKElectrocardiogram (classifications, Lead I, sampling frequency).
 */
import { describe, expect, it } from 'vitest';
import {
  classifyEcg,
  ecgBirthDate,
  isEcgEntry,
  parseAppleEcgCsv,
} from '../../../main/import/formats/apple-health/ecg';
import { homeEcgSchema } from '../../../shared/home-data/ecg';
import { appleEcgCsv } from '../../sim/home-data/apple-health';

const parse = (text: string) => parseAppleEcgCsv(text, 'ecg_2026-11-01.csv');

describe('Apple Health ECG file', () => {
  it('reads the header and every sample, and keeps no name or birth date in the recording', () => {
    const parsed = parse(
      appleEcgCsv({ classification: 'Atrial Fibrillation', symptoms: 'Heart palpitations, Dizziness' }),
    );
    if ('problem' in parsed) throw new Error(parsed.problem.message);
    expect(homeEcgSchema.parse(parsed.ecg)).toEqual(parsed.ecg);
    expect(parsed.ecg).toEqual({
      sourceRecordId: 'ecg:2026-11-01T07:15:02.000Z',
      recordedAt: '2026-11-01T07:15:02.000Z',
      classification: 'atrialFibrillation',
      classificationText: 'Atrial Fibrillation',
      symptoms: ['Heart palpitations', 'Dizziness'],
      device: 'Watch7,3',
      softwareVersion: '2',
      sampleRateHz: 512,
      lead: 'Lead I',
      sampleCount: 512 * 30,
    });
    expect(parsed.samples).toHaveLength(512 * 30);
    expect(Math.max(...parsed.samples)).toBeGreaterThan(500);
    expect(parsed.birthDate).toBe('1961-04-12');
    expect(parsed.name).toBe('Jane Appleseed');
    expect(JSON.stringify(parsed.ecg)).not.toMatch(/Appleseed|1961/);
  });

  it('scales millivolts to microvolts and takes a decimal comma in quotes', () => {
    const mv = parse(appleEcgCsv({ unit: 'mV', seconds: 1 }));
    const uv = parse(appleEcgCsv({ seconds: 1 }));
    if ('problem' in mv || 'problem' in uv) throw new Error('unreadable');
    expect(mv.samples[100]).toBeCloseTo(uv.samples[100]! * 1000, 0);
    const comma = parse(appleEcgCsv({ seconds: 1 }).replace(/^(-?\d+)\.(\d+)$/m, '"$1,$2"'));
    if ('problem' in comma) throw new Error(comma.problem.message);
    expect(comma.samples[0]).toBeCloseTo(uv.samples[0]!, 2);
  });

  it.each([
    ['an unknown unit', appleEcgCsv({ unit: 'counts', seconds: 1 }), /unit "counts"/],
    ['no recorded date', appleEcgCsv({ seconds: 1 }).replace(/^Recorded Date,.*$/m, ''), /recorded date/],
    [
      'no classification line',
      appleEcgCsv({ seconds: 1 }).replace(/^Classification,.*$/m, ''),
      /classification/,
    ],
    ['no samples', appleEcgCsv({ seconds: 0 }), /no samples/],
    ['a sample that is no number', `${appleEcgCsv({ seconds: 1 })}12abc\n`, /not a number/],
  ])('leaves out a file with %s, naming it', (_what, text, message) => {
    const parsed = parse(text);
    expect('problem' in parsed && parsed.problem).toMatchObject({ severity: 'warning', message });
    expect('problem' in parsed && parsed.problem.message).toContain('ecg_2026-11-01.csv');
  });

  it.each([
    ['Sinus Rhythm', 'sinusRhythm'],
    ['Atrial Fibrillation', 'atrialFibrillation'],
    ['Inconclusive', 'inconclusive'],
    ['Poor Recording', 'poorRecording'],
    ['Heart Rate Over 150', 'highHeartRate'],
    ['Inconclusive High Heart Rate', 'highHeartRate'],
    ['Heart Rate Under 50', 'lowHeartRate'],
    ['Unrecognized', 'other'],
  ])('classifies "%s" as %s', (text, expected) => {
    expect(classifyEcg(text)).toBe(expected);
  });

  it.each([
    ['Apr 12, 1961', '1961-04-12'],
    ['12 April 1961', '1961-04-12'],
    ['1961-04-12', '1961-04-12'],
    // A phone set to German: day first, with dots.
    ['27.03.1987', '1987-03-27'],
    ['12.04.1961', '1961-04-12'],
    ['29.02.2000', '2000-02-29'],
    ['Feb 29, 1988', '1988-02-29'],
  ])('reads the birth date "%s" as %s', (text, iso) => {
    expect(ecgBirthDate(text)).toBe(iso);
  });

  it.each([
    'Feb 30, 1961',
    'Feb 29, 1900',
    '29.02.1987',
    '31.04.1987',
    '27.13.1987',
    '00.03.1987',
    // Forms no real file has shown: not guessed.
    '27.03.87',
    '3.4.1987',
    '27/03/1987',
    'Jane',
    '',
  ])('reads "%s" as no birth date', (text) => {
    expect(ecgBirthDate(text)).toBeUndefined();
  });

  it('finds ECG members only in the electrocardiograms folder', () => {
    expect(isEcgEntry('apple_health_export/electrocardiograms/ecg_2026-11-01.csv')).toBe(true);
    expect(isEcgEntry('apple_health_export/workout-routes/route.gpx')).toBe(false);
    expect(isEcgEntry('apple_health_export/export.xml')).toBe(false);
  });
});
