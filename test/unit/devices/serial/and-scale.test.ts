import { describe, expect, it } from 'vitest';
import { createAndScaleParser, parseAndLine } from '../../../../main/devices/serial/drivers/and-scale';
import { ascii, feed } from './collect';

const line = (text: string) => parseAndLine(ascii(text));

describe('A&D standard format parser', () => {
  it.each([
    ['ST,+00070.45 kg', 70.45],
    ['ST,+00070.45  kg', 70.45],
    ['ST,+0070450.0  g', 70.45],
    ['ST,+00155.20 lb', 70.398],
    ['ST,GS,+0070.45 kg', 70.45],
    ['ST,+000070.5 kg', 70.5],
  ])('accepts a stable weight %s as %d kg', (text, kg) => {
    expect(line(text)).toEqual({
      type: 'measurement',
      values: [{ kind: 'bodyWeight', value: kg, unit: 'kg' }],
      notes: [],
    });
  });

  it.each([
    ['US,+00070.45 kg', 'UNSTABLE'],
    ['OL,+9999999E+19 kg', 'OUT_OF_RANGE'],
    ['OL,+99999.99 kg', 'OUT_OF_RANGE'],
    ['QT,+00001234 PC', 'BAD_FLAGS'],
    ['ST,+00000123  %', 'BAD_FLAGS'],
    ['ST,+00900.00 kg', 'OUT_OF_RANGE'],
    ['ST,-00070.45 kg', 'OUT_OF_RANGE'],
    ['ST,+00000.00 kg', 'OUT_OF_RANGE'],
    ['ST,abc kg', 'GARBAGE'],
    ['hello world', 'GARBAGE'],
    ['ST,+00070.45 kg extra', 'GARBAGE'],
  ])('gives no reading for %s (%s)', (text, code) => {
    expect(line(text)).toMatchObject({ type: 'problem', error: { code } });
  });

  it('streams lines across chunks, ignores blank lines and resyncs after an over-long line', () => {
    const parser = createAndScaleParser();
    const out = feed(
      parser,
      ascii('ST,+000'),
      ascii('70.45 kg\r\n\r\n'),
      ascii('x'.repeat(200) + '\r\n'),
      ascii('US,+00071.00 kg\r\nST,+00071.00 kg\r\n'),
    );
    expect(out.map((o) => (o.type === 'problem' ? o.error.code : o.type))).toEqual([
      'measurement',
      'GARBAGE',
      'UNSTABLE',
      'measurement',
    ]);
  });
});
