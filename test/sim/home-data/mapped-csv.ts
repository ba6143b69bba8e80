/**
 * A home log kept in a spreadsheet, as patients bring them: semicolon-separated, day-first dates,
 * decimal commas, one row per reading with the measure named in words and its unit beside it.
 */
import { pad2, seeded } from './random';

export const HOME_LOG_HEADER = ['Datum', 'Messung', 'Wert', 'Einheit', 'Gerät', 'Nr'];

export function homeLogCsv(options: { days?: number; seed?: number } = {}): string {
  const r = seeded(options.seed ?? 17);
  const rows = [HOME_LOG_HEADER.join(';')];
  let n = 0;
  for (let d = 0; d < (options.days ?? 7); d++) {
    const date = `${pad2(1 + d)}.03.2026`;
    rows.push(
      [
        `${date} 07:30`,
        'Blutdruck',
        `${r.int(115, 145)}/${r.int(70, 90)}`,
        'mmHg',
        'Beurer BM 54',
        String(++n),
      ].join(';'),
    );
    rows.push([`${date} 07:31`, 'Puls', String(r.int(60, 85)), 'bpm', 'Beurer BM 54', String(++n)].join(';'));
    rows.push(
      [
        `${date} 07:35`,
        'Gewicht',
        (80 + r.next()).toFixed(1).replace('.', ','),
        'kg',
        'Waage',
        String(++n),
      ].join(';'),
    );
    rows.push(
      [
        `${date} 07:40`,
        'Temperatur',
        (36.4 + r.next() * 0.6).toFixed(1).replace('.', ','),
        '°C',
        '',
        String(++n),
      ].join(';'),
    );
  }
  return `${rows.join('\n')}\n`;
}

export const CUFF_APP_HEADER = ['Measurement date', 'SYS', 'DIA', 'Pulse', 'Note'];

/**
 * A blood-pressure cuff's phone app export: comma-separated, year-first local times, systolic and
 * diastolic in two columns with no unit or measure column (the nurse says "blood pressure, mmHg").
 */
export function cuffAppCsv(
  options: { days?: number; seed?: number; header?: readonly string[] } = {},
): string {
  const r = seeded(options.seed ?? 5);
  const rows = [(options.header ?? CUFF_APP_HEADER).join(',')];
  for (let d = 0; d < (options.days ?? 5); d++) {
    const date = `2026-04-${pad2(1 + d)}`;
    rows.push(`${date} 07:${pad2(10 + d)},${r.int(118, 150)},${r.int(70, 95)},${r.int(58, 88)},`);
    rows.push(`${date} 21:${pad2(5 + d)},${r.int(118, 150)},${r.int(70, 95)},${r.int(58, 88)},after walk`);
  }
  return `${rows.join('\n')}\n`;
}
