/**
 * A&D scales and balances, "A&D standard format": one ASCII line per weighing,
 *   header(2) ',' data(9) unit(3) CR LF        e.g. `ST,+00070.45 kg`
 * Header: ST stable weight, US unstable, OL out of range (overload), QT stable count (not a weight).
 * Data: sign, digits and a decimal point, zero-padded; unit `  g`, ` kg`, ` lb`, ` oz`, ` PC`, `  %`...
 * Some models put a second 2-letter header (GS/NT/TR, or a comparison OK/HI/LO) after the first.
 * (A&D instruction manuals, "A&D standard format", e.g. GC/GX/EK-L series, section "Data format".)
 * 2400 baud 7E1 is the A&D factory default for the serial interface.
 *
 * Only an ST line with a weight unit becomes a reading; the others are typed non-readings.
 */
import { measurementOf } from './measurement';
import type { DriverOutput, DriverOutputSink, FrameParser, SerialDriver } from './types';

const CR = 0x0d;
const LF = 0x0a;
/** Longest line the format allows with a second header and a 3-character unit, plus slack for models. */
const MAX_LINE = 40;

const packed = (unit: string) => [...unit].reduce((n, c) => (n << 8) | c.charCodeAt(0), 0);
const KG_PER_UNIT: ReadonlyMap<number, number> = new Map([
  [packed('kg'), 1],
  [packed('g'), 0.001],
  // International avoirdupois pound and ounce (exact by definition).
  [packed('lb'), 0.45359237],
  [packed('oz'), 0.028349523125],
]);
const HEADER_ST = packed('ST');
const HEADER_US = packed('US');
const HEADER_OL = packed('OL');
const HEADER_QT = packed('QT');

function problem(code: 'UNSTABLE' | 'OUT_OF_RANGE' | 'GARBAGE' | 'BAD_FLAGS', message: string): DriverOutput {
  return { type: 'problem', error: { code, message } };
}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Parses one line (without CR LF). Pure. Hand-written rather than a regex over a decoded string: the
 * parser must keep up with a fuzzer and a fast stream without allocating per character.
 */
export function parseAndLine(line: Uint8Array, length: number = line.length): DriverOutput {
  if (length < 4 || !isLetter(line[0]!) || !isLetter(line[1]!) || line[2] !== 0x2c) {
    return problem('GARBAGE', 'The scale sent a line that is not in its data format; skipped.');
  }
  // Header compared as upper-case bytes: no string per line.
  const header = ((line[0]! & 0xdf) << 8) | (line[1]! & 0xdf);
  let p = 3;
  // Optional second header (GS/NT/TR or a comparison result) followed by a comma.
  if (length > p + 2 && isLetter(line[p]!) && isLetter(line[p + 1]!) && line[p + 2] === 0x2c) p += 3;
  else if (length > p + 2 && line[p] === 0x2d && line[p + 1] === 0x2d && line[p + 2] === 0x2c) p += 3;

  if (header === HEADER_OL) {
    return problem('OUT_OF_RANGE', 'The scale reports an overload or a weight outside its range.');
  }
  if (header === HEADER_US)
    return problem('UNSTABLE', 'The scale is not steady yet; ask the patient to stand still.');
  if (header === HEADER_QT) return problem('BAD_FLAGS', 'The scale is in counting mode, not weighing.');
  if (header !== HEADER_ST)
    return problem('GARBAGE', 'The scale sent a line that is not in its data format; skipped.');

  // Data: optional spaces, sign, digits with at most one decimal point (leading zeros or spaces).
  while (p < length && line[p] === 0x20) p++;
  let sign = 1;
  if (line[p] === 0x2b) p++;
  else if (line[p] === 0x2d) {
    sign = -1;
    p++;
  }
  while (p < length && line[p] === 0x20) p++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  while (p < length) {
    const c = line[p]!;
    if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 0x2e && fraction < 0) {
      fraction = 0;
    } else break;
    p++;
  }
  if (digits === 0 || digits > 10) {
    return problem('GARBAGE', 'The scale sent a line that is not in its data format; skipped.');
  }
  while (p < length && line[p] === 0x20) p++;
  // Unit: up to three letters (or %), folded to lower case and packed into one number.
  let unit = 0;
  let unitLength = 0;
  while (p < length && (isLetter(line[p]!) || line[p] === 0x25) && unitLength < 3) {
    unit = (unit << 8) | (line[p++]! | 0x20);
    unitLength++;
  }
  while (p < length && line[p] === 0x20) p++;
  if (p !== length)
    return problem('GARBAGE', 'The scale sent a line that is not in its data format; skipped.');
  const factor = KG_PER_UNIT.get(unit);
  if (factor === undefined) {
    return problem('BAD_FLAGS', 'The scale is not set to a weight unit (kg, g, lb or oz).');
  }
  const value = (sign * mantissa) / 10 ** Math.max(0, fraction);
  // Rounded to grams: the conversion factors carry more digits than any scale resolves.
  const kg = Math.round(value * factor * 1000) / 1000;
  return measurementOf([['bodyWeight', kg]], []);
}

export function createAndScaleParser(): FrameParser {
  const line = new Uint8Array(MAX_LINE);
  let length = 0;
  let overflowed = false;
  return {
    push(bytes, emit: DriverOutputSink) {
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (c === LF || c === CR) {
          // CR LF ends a line; a lone CR (some models) or LF does too. Empty lines are nothing.
          if (overflowed) {
            emit(problem('GARBAGE', 'The scale sent a line that is not in its data format; skipped.'));
          } else if (length > 0) {
            emit(parseAndLine(line, length));
          }
          length = 0;
          overflowed = false;
          continue;
        }
        if (length === MAX_LINE) {
          // Too long to be this format: drop it and resynchronise on the next line end.
          overflowed = true;
          continue;
        }
        line[length++] = c;
      }
    },
    reset() {
      length = 0;
      overflowed = false;
    },
  };
}

export const andScaleDriver: SerialDriver = {
  id: 'serial.and-scale',
  manufacturer: 'A&D',
  model: 'Scale (A&D standard format)',
  line: { baudRate: 2400, dataBits: 7, parity: 'even', stopBits: 1 },
  createParser: createAndScaleParser,
};
