/** Sample CGM exports for the import tests: one long export, and windows of it as later exports overlap. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dexcomClarityCsv, type CgmOptions } from '../../sim/home-data/cgm';

/**
 * A Clarity export holding readings [from, to) of one sensor session: the same reading keeps its
 * transmitter time, so the same record in two exports is the same source record.
 */
export function clarityWindow(
  dir: string,
  name: string,
  from: number,
  to: number,
  options: CgmOptions = {},
): string {
  const lines = dexcomClarityCsv({ readings: to, ...options }).split('\r\n');
  const isEgv = (line: string): boolean => line.split(',')[2] === 'EGV';
  let egv = 0;
  const kept = lines.filter((line) => {
    if (!isEgv(line)) return line.length > 0 && !/,Carbs,/.test(line);
    const keep = egv >= from && egv < to;
    egv++;
    return keep;
  });
  const file = path.join(dir, name);
  writeFileSync(file, `${kept.join('\r\n')}\r\n`);
  return file;
}
