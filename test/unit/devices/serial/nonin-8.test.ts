import { describe, expect, it } from 'vitest';
import {
  createNonin8Parser,
  decodeNonin8,
  encodeNonin8,
} from '../../../../main/devices/serial/drivers/nonin-8';
import { feed } from './collect';

describe('Nonin format #8 parser', () => {
  it('decodes a record byte by byte per the published layout', () => {
    // HR 72 = 0b0_1001000: bits 8..7 = 00, LSB 0x48; SpO2 97 = 0x61.
    expect(decodeNonin8(0x80, 0x48, 0x61, 0x00)).toMatchObject({
      heartRate: 72,
      spo2: 97,
      lowBattery: false,
    });
    // HR 300 = 0b10_0101100: bits 8..7 = 10 → status low bits 0x02, LSB 0x2c.
    expect(decodeNonin8(0x82, 0x2c, 0x5f, 0x01)).toMatchObject({
      heartRate: 300,
      spo2: 95,
      lowBattery: true,
    });
    expect(decodeNonin8(0xc0, 0, 0, 0).sensorDisconnected).toBe(true);
    expect(decodeNonin8(0xa0, 0, 0, 0).outOfTrack).toBe(true);
    expect(decodeNonin8(0x90, 0, 0, 0).lowPerfusion).toBe(true);
    expect(decodeNonin8(0x88, 0, 0, 0).marginalPerfusion).toBe(true);
    expect(decodeNonin8(0x84, 0, 0, 0).artifact).toBe(true);
    expect(decodeNonin8(0x80, 0, 0, 0x08).sensorAlarm).toBe(true);
  });

  it('emits heart rate and SpO2 in canonical UCUM units, with the battery once', () => {
    const parser = createNonin8Parser();
    const out = feed(
      parser,
      encodeNonin8({ heartRate: 72, spo2: 97 }),
      encodeNonin8({ heartRate: 73, spo2: 98 }),
    );
    expect(out).toEqual([
      { type: 'battery', low: false },
      {
        type: 'measurement',
        values: [
          { kind: 'heartRate', value: 72, unit: '/min' },
          { kind: 'spo2', value: 97, unit: '%' },
        ],
        notes: [],
        signalQuality: 'good',
      },
      {
        type: 'measurement',
        values: [
          { kind: 'heartRate', value: 73, unit: '/min' },
          { kind: 'spo2', value: 98, unit: '%' },
        ],
        notes: [],
        signalQuality: 'good',
      },
    ]);
  });

  it('assembles a record split across any chunking', () => {
    const bytes = encodeNonin8({ heartRate: 140, spo2: 91, lowPerfusion: true });
    for (let split = 1; split < 4; split++) {
      const out = feed(createNonin8Parser(), bytes.subarray(0, split), bytes.subarray(split));
      expect(out.at(-1)).toEqual({
        type: 'measurement',
        values: [
          { kind: 'heartRate', value: 140, unit: '/min' },
          { kind: 'spo2', value: 91, unit: '%' },
        ],
        notes: ['low perfusion'],
        signalQuality: 'poor',
      });
    }
  });

  it.each([
    ['sensor off', { sensorDisconnected: true }, 'SPECIAL_VALUE'],
    ['sensor alarm', { sensorAlarm: true }, 'SPECIAL_VALUE'],
    ['out of track', { outOfTrack: true }, 'UNSTABLE'],
  ] as const)('gives no reading when %s', (_name, flags, code) => {
    const out = feed(createNonin8Parser(), encodeNonin8({ heartRate: 80, spo2: 96, ...flags }));
    expect(out.filter((o) => o.type === 'measurement')).toEqual([]);
    expect(out.at(-1)).toMatchObject({ type: 'problem', error: { code } });
  });

  it('treats the missing-value markers (HR 511, SpO2 127) as no reading', () => {
    const out = feed(createNonin8Parser(), encodeNonin8({ heartRate: 511, spo2: 127 }));
    expect(out.at(-1)).toMatchObject({ type: 'problem', error: { code: 'SPECIAL_VALUE' } });
  });

  it('refuses implausible values (HR 10, SpO2 40) instead of emitting them', () => {
    const out = feed(
      createNonin8Parser(),
      encodeNonin8({ heartRate: 10, spo2: 97 }),
      encodeNonin8({ heartRate: 80, spo2: 40 }),
    );
    expect(out.filter((o) => o.type === 'measurement')).toEqual([]);
    expect(out.filter((o) => o.type === 'problem').map((o) => o.type === 'problem' && o.error.code)).toEqual([
      'OUT_OF_RANGE',
      'OUT_OF_RANGE',
    ]);
  });

  it('resynchronises after garbage and after a truncated record', () => {
    const good = encodeNonin8({ heartRate: 66, spo2: 99 });
    const out = feed(
      createNonin8Parser(),
      Uint8Array.of(0x11, 0x22, 0x33), // garbage without sync bit
      good,
      good.subarray(0, 2), // truncated: next record starts early
      good,
    );
    const kinds = out.map((o) => (o.type === 'problem' ? o.error.code : o.type));
    expect(kinds).toEqual(['GARBAGE', 'battery', 'measurement', 'TRUNCATED', 'measurement']);
  });

  it('reports low battery when it changes', () => {
    const out = feed(
      createNonin8Parser(),
      encodeNonin8({ heartRate: 70, spo2: 97 }),
      encodeNonin8({ heartRate: 70, spo2: 97, lowBattery: true }),
      encodeNonin8({ heartRate: 70, spo2: 97, lowBattery: true }),
    );
    expect(out.filter((o) => o.type === 'battery')).toEqual([
      { type: 'battery', low: false },
      { type: 'battery', low: true },
    ]);
  });
});
