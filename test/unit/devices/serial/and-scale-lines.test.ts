/**
 * A&D standard-format lines at their edges: how headers, signs, spaces, decimal points, digit counts
 * and units are read, which line a scale ends with what, and how a stream resynchronises. A weight is
 * only ever a stable line with a weight unit; everything else is a typed non-reading.
 */
import { describe, expect, it } from 'vitest';
import {
  andScaleDriver,
  createAndScaleParser,
  parseAndLine,
} from '../../../../main/devices/serial/drivers/and-scale';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { ascii, feed } from './collect';

const line = (text: string) => parseAndLine(ascii(text));
const weight = (kg: number): DriverOutput => ({
  type: 'measurement',
  values: [{ kind: 'bodyWeight', value: kg, unit: 'kg' }],
  notes: [],
});
const codeOf = (o: DriverOutput) => (o.type === 'problem' ? o.error.code : o.type);

describe('A&D lines read as a weight', () => {
  it.each([
    ['a lower-case header', 'st,+00070.45 kg', 70.45],
    ['an upper-case unit', 'ST,+00070.45 KG', 70.45],
    ['a second header of dashes', 'ST,--,+00070.45 kg', 70.45],
    ['a comparison result as second header', 'ST,OK,+00070.45 kg', 70.45],
    ['a lower-case second header', 'ST,az,+00070.45 kg', 70.45],
    ['an upper-case second header at the alphabet’s ends', 'ST,AZ,+00070.45 kg', 70.45],
    ['no sign', 'ST,00070.45 kg', 70.45],
    ['spaces before the sign', 'ST,  +0070.45 kg', 70.45],
    ['spaces after the sign', 'ST,+  070.45 kg', 70.45],
    ['no decimal point', 'ST,+0000070 kg', 70],
    ['a trailing decimal point', 'ST,+000070. kg', 70],
    ['ten digits in grams', 'ST,+0000070450 g', 70.45],
    ['ounces', 'ST,+02483.2 oz', 70.398],
    ['pounds', 'ST,+155.2 lb', 70.398],
    ['no space before the unit', 'ST,+00070.45kg', 70.45],
    ['spaces after the unit', 'ST,+00070.45 kg  ', 70.45],
    ['the shortest line', 'ST,9kg', 9],
  ])('%s: %s', (_why, text, kg) => {
    expect(line(text)).toEqual(weight(kg));
  });
});

describe('A&D lines that are not a weight', () => {
  it.each([
    ['too short to be a line', 'ST,', 'GARBAGE'],
    ['too short, even with a digit', 'S,9', 'GARBAGE'],
    ['a digit in the header', '5T,+00070.45 kg', 'GARBAGE'],
    ['a symbol before A in the header', 'S@,+00070.45 kg', 'GARBAGE'],
    ['a symbol after Z in the header', '[T,+00070.45 kg', 'GARBAGE'],
    ['a symbol before a in the header', '`T,+00070.45 kg', 'GARBAGE'],
    ['a symbol after z in the header', 'S{,+00070.45 kg', 'GARBAGE'],
    ['no comma after the header', 'ST;+00070.45 kg', 'GARBAGE'],
    ['an unknown header', 'XY,+00070.45 kg', 'GARBAGE'],
    ['a symbol before A as second header', 'ST,@A,+00070.45 kg', 'GARBAGE'],
    ['a symbol after Z as second header', 'ST,A[,+00070.45 kg', 'GARBAGE'],
    ['a symbol before a as second header', 'ST,`a,+00070.45 kg', 'GARBAGE'],
    ['a symbol after z as second header', 'ST,a{,+00070.45 kg', 'GARBAGE'],
    ['one dash as second header', 'ST,-A,+00070.45 kg', 'GARBAGE'],
    ['a second header without its comma', 'ST,GS+00070.45 kg', 'GARBAGE'],
    ['no digits', 'ST,+. kg', 'GARBAGE'],
    ['two decimal points', 'ST,+0070.4.5 kg', 'GARBAGE'],
    ['eleven digits', 'ST,+00000070450 g', 'GARBAGE'],
    ['a slash among the digits', 'ST,+0070/45 kg', 'GARBAGE'],
    ['a colon among the digits', 'ST,+0070:45 kg', 'GARBAGE'],
    ['a four-letter unit', 'ST,+00070.45 kgxy', 'GARBAGE'],
    ['a three-letter unit that is not a weight', 'ST,+00070.45 kgs', 'BAD_FLAGS'],
    ['something after the unit', 'ST,+00070.45 kg x', 'GARBAGE'],
    ['no unit', 'ST,+00070.45', 'BAD_FLAGS'],
    ['a unit that is not a weight', 'ST,+00070.45 k', 'BAD_FLAGS'],
    ['pieces', 'ST,+00000070 PC', 'BAD_FLAGS'],
    ['an unstable weight in lower case', 'us,+00070.45 kg', 'UNSTABLE'],
    ['an overload in lower case', 'ol,+99999.99 kg', 'OUT_OF_RANGE'],
    ['counting mode in lower case', 'qt,+00001234 PC', 'BAD_FLAGS'],
  ])('%s: %s is %s', (_why, text, code) => {
    expect(codeOf(line(text))).toBe(code);
  });

  it('says what each refusal means to the nurse', () => {
    expect(line('US,+00070.45 kg')).toEqual({
      type: 'problem',
      error: { code: 'UNSTABLE', message: 'The scale is not steady yet; ask the patient to stand still.' },
    });
    expect(line('OL,+99999.99 kg')).toEqual({
      type: 'problem',
      error: {
        code: 'OUT_OF_RANGE',
        message: 'The scale reports an overload or a weight outside its range.',
      },
    });
    expect(line('QT,+00001234 PC')).toEqual({
      type: 'problem',
      error: { code: 'BAD_FLAGS', message: 'The scale is in counting mode, not weighing.' },
    });
    expect(line('ST,+00070.45 PC')).toEqual({
      type: 'problem',
      error: { code: 'BAD_FLAGS', message: 'The scale is not set to a weight unit (kg, g, lb or oz).' },
    });
    const garbage = {
      type: 'problem',
      error: { code: 'GARBAGE', message: 'The scale sent a line that is not in its data format; skipped.' },
    };
    for (const text of ['x', 'XY,+00070.45 kg', 'ST,+. kg', 'ST,+00070.45 kg x'])
      expect(line(text)).toEqual(garbage);
  });

  it('reads only the length it is given of a reused buffer', () => {
    const buffer = ascii('ST,+00070.45 kgXXXX');
    expect(parseAndLine(buffer, 'ST,+00070.45 kg'.length)).toEqual(weight(70.45));
    expect(codeOf(parseAndLine(buffer))).toBe('GARBAGE');
  });
});

describe('an A&D stream', () => {
  it('ends a line at CR LF, a lone CR or a lone LF, and gives one output per line', () => {
    const out = feed(
      createAndScaleParser(),
      ascii('ST,+00070.45 kg\r\nST,+00071.00 kg\rST,+00072.00 kg\n\n\r'),
    );
    expect(out).toEqual([weight(70.45), weight(71), weight(72)]);
  });

  it('takes a 40-byte line and refuses a 41-byte one, then reads the next line', () => {
    const forty = `ST,+00070.45 kg${' '.repeat(25)}`;
    expect(forty).toHaveLength(40);
    const parser = createAndScaleParser();
    expect(feed(parser, ascii(`${forty}\r\n`))).toEqual([weight(70.45)]);
    expect(feed(parser, ascii(`${forty} \r\nST,+00071.00 kg\r\n`)).map(codeOf)).toEqual([
      'GARBAGE',
      'measurement',
    ]);
  });

  it('forgets a half-received line when reset (the port was reopened)', () => {
    const parser = createAndScaleParser();
    expect(feed(parser, ascii('ST,+0007'))).toEqual([]);
    parser.reset();
    expect(feed(parser, ascii('ST,+00071.00 kg\r\n'))).toEqual([weight(71)]);
    // After a reset in the middle of an over-long line, the next line is read normally.
    feed(parser, ascii('x'.repeat(60)));
    parser.reset();
    expect(feed(parser, ascii('ST,+00072.00 kg\r\n'))).toEqual([weight(72)]);
  });

  it('opens the port at the A&D factory setting, 2400 baud 7E1', () => {
    expect(andScaleDriver.line).toEqual({ baudRate: 2400, dataBits: 7, parity: 'even', stopBits: 1 });
    expect(andScaleDriver.id).toBe('serial.and-scale');
  });
});
