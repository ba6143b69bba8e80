/**
 * What a Nonin oximeter's stream gives the nurse, output by output and in order: the exact refusal for
 * each sensor state, the notes that travel with a reading, the battery flag only when it changes (and
 * again after the port is reopened), and where the parser picks up again after lost or stray bytes.
 * Both data formats: #8 (one 4-byte record a second) and #2 (25 five-byte frames a packet, with pleth).
 */
import { describe, expect, it } from 'vitest';
import {
  createNonin2Parser,
  encodeNonin2Frame,
  encodeNonin2Packet,
  nonin2Driver,
  NONIN2_FRAMES_PER_PACKET,
  type Nonin2PacketSpec,
} from '../../../../main/devices/serial/drivers/nonin-2';
import {
  createNonin8Parser,
  decodeNonin8,
  encodeNonin8,
  nonin8Driver,
} from '../../../../main/devices/serial/drivers/nonin-8';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { feed } from './collect';

/** A reading; its signal quality follows the perfusion the device reported (green: good). */
const reading = (
  heartRate: number,
  spo2: number,
  notes: string[] = [],
  signalQuality: 'good' | 'weak' | 'poor' = 'good',
): DriverOutput => ({
  type: 'measurement',
  values: [
    { kind: 'heartRate', value: heartRate, unit: '/min' },
    { kind: 'spo2', value: spo2, unit: '%' },
  ],
  notes,
  signalQuality,
});
const problem = (code: string, message: string): DriverOutput =>
  ({ type: 'problem', error: { code, message } }) as DriverOutput;
const SENSOR_OFF = problem('SPECIAL_VALUE', 'The oximeter sensor is off the finger or not connected.');
const NO_PULSE = problem('UNSTABLE', 'The oximeter has lost the pulse signal; keep the finger still.');
const NO_VALUE = problem('SPECIAL_VALUE', 'The oximeter has no value yet; wait for a steady pulse.');
const GARBAGE = problem('GARBAGE', 'The oximeter sent bytes that are not in its data format; skipped.');
const battery = (low: boolean): DriverOutput => ({ type: 'battery', low });

/** Each record's state in data format #8, and what the nurse sees for it (after the battery flag). */
const STATES: [string, Partial<Parameters<typeof encodeNonin8>[0]>, DriverOutput][] = [
  ['a good signal', {}, reading(72, 97)],
  ['sensor disconnected', { sensorDisconnected: true }, SENSOR_OFF],
  ['sensor alarm', { sensorAlarm: true }, SENSOR_OFF],
  ['sensor alarm and out of track', { sensorAlarm: true, outOfTrack: true }, SENSOR_OFF],
  ['out of track', { outOfTrack: true }, NO_PULSE],
  ['out of track with a missing value', { outOfTrack: true, heartRate: 511 }, NO_PULSE],
  ['heart rate missing', { heartRate: 511 }, NO_VALUE],
  ['SpO2 missing', { spo2: 127 }, NO_VALUE],
  ['low perfusion', { lowPerfusion: true }, reading(72, 97, ['low perfusion'], 'poor')],
  ['marginal perfusion', { marginalPerfusion: true }, reading(72, 97, ['marginal perfusion'], 'weak')],
  ['artifact', { artifact: true }, reading(72, 97, ['artifact detected'], 'weak')],
  [
    'low perfusion and artifact',
    { lowPerfusion: true, artifact: true },
    reading(72, 97, ['low perfusion', 'artifact detected'], 'poor'),
  ],
  ['SmartPoint', { smartPoint: true }, reading(72, 97)],
  ['a heart rate above 127 (its high bits in the status byte)', { heartRate: 201 }, reading(201, 97)],
  ['a heart rate of 128', { heartRate: 128 }, reading(128, 97)],
];

describe('Nonin data format #8', () => {
  it.each(STATES)('%s', (_why, flags, expected) => {
    const out = feed(createNonin8Parser(), encodeNonin8({ heartRate: 72, spo2: 97, ...flags }));
    expect(out).toEqual([battery(false), expected]);
  });

  it('decodes every flag from its own bit and no other', () => {
    const none = decodeNonin8(0x80, 0, 0, 0);
    expect(Object.values({ ...none, heartRate: false, spo2: false }).every((v) => v === false)).toBe(true);
    const bits: [number, number, keyof typeof none][] = [
      [0x40, 0, 'sensorDisconnected'],
      [0x20, 0, 'outOfTrack'],
      [0x10, 0, 'lowPerfusion'],
      [0x08, 0, 'marginalPerfusion'],
      [0x04, 0, 'artifact'],
      [0, 0x20, 'smartPoint'],
      [0, 0x08, 'sensorAlarm'],
      [0, 0x01, 'lowBattery'],
    ];
    for (const [b1, b4, flag] of bits) {
      expect(decodeNonin8(0x80 | b1, 0, 0, b4)).toEqual({ ...none, [flag]: true });
      // And the encoder sets that bit alone.
      const bytes = encodeNonin8({ heartRate: 0, spo2: 0, [flag]: true });
      expect([...bytes]).toEqual([0x80 | b1, 0, 0, b4]);
    }
    expect(decodeNonin8(0x83, 0x7f, 0xff, 0)).toMatchObject({ heartRate: 511, spo2: 127 });
  });

  it('reports the battery when it changes, and again after the port is reopened', () => {
    const parser = createNonin8Parser();
    const ok = encodeNonin8({ heartRate: 72, spo2: 97 });
    const low = encodeNonin8({ heartRate: 72, spo2: 97, lowBattery: true });
    expect(feed(parser, ok, ok, low, low, ok)).toEqual([
      battery(false),
      reading(72, 97),
      reading(72, 97),
      battery(true),
      reading(72, 97),
      reading(72, 97),
      battery(false),
      reading(72, 97),
    ]);
    parser.reset();
    expect(feed(parser, ok)).toEqual([battery(false), reading(72, 97)]);
  });

  it('skips stray bytes once, says a record was cut short, and carries a record across chunks', () => {
    const parser = createNonin8Parser();
    const record = encodeNonin8({ heartRate: 72, spo2: 97 });
    const out = feed(
      parser,
      Uint8Array.of(0x01, 0x02, 0x03),
      record.subarray(0, 2),
      record.subarray(2),
      record.subarray(0, 3),
      record,
    );
    expect(out).toEqual([
      GARBAGE,
      battery(false),
      reading(72, 97),
      problem('TRUNCATED', 'An oximeter record was cut short; skipped.'),
      reading(72, 97),
    ]);
    // Stray bytes at the end of a chunk are reported at once, not held back.
    expect(feed(parser, Uint8Array.of(0x05))).toEqual([GARBAGE]);
    // A reset drops a half-received record.
    feed(parser, record.subarray(0, 2));
    parser.reset();
    expect(feed(parser, record.subarray(2))).toEqual([GARBAGE]);
  });

  it('opens the port at 9600 baud 8N1', () => {
    expect(nonin8Driver.line).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    expect(nonin8Driver.streaming).toBe(true);
  });
});

describe('Nonin data format #2', () => {
  const pleth = Array.from({ length: NONIN2_FRAMES_PER_PACKET }, (_, i) => 90 + i);
  const packet = (spec: Partial<Nonin2PacketSpec> = {}) =>
    encodeNonin2Packet({ heartRate: 72, spo2: 97, pleth, ...spec });
  const wave = (samples: number[]): DriverOutput => ({
    type: 'waveform',
    signal: 'pleth',
    sampleRateHz: 75,
    samples,
  });

  it.each([
    ['a good signal', {}, reading(72, 97)],
    ['sensor disconnected', { sensorDisconnected: true }, SENSOR_OFF],
    ['out of track', { outOfTrack: true }, NO_PULSE],
    ['heart rate missing', { heartRate: 511 }, NO_VALUE],
    ['SpO2 missing', { spo2: 127 }, NO_VALUE],
    ['artifact', { artifact: true }, reading(72, 97, ['artifact detected'], 'weak')],
    ['red perfusion', { perfusion: 'red' }, reading(72, 97, ['low perfusion'], 'poor')],
    ['yellow perfusion', { perfusion: 'yellow' }, reading(72, 97, ['marginal perfusion'], 'weak')],
    ['a heart rate of 201', { heartRate: 201 }, reading(201, 97)],
  ] as const)('%s', (_why, spec, expected) => {
    expect(feed(createNonin2Parser(), packet(spec))).toEqual([battery(false), expected, wave(pleth)]);
  });

  it('treats the sensor-alarm bit of any frame as the sensor being off', () => {
    const bytes = packet();
    // Frame 6: set SNSA (status bit 3) and fix its checksum.
    const at = 5 * 5;
    bytes.set(
      encodeNonin2Frame({ status: bytes[at + 1]! | 0x08, pleth: bytes[at + 2]!, value: bytes[at + 3]! }),
      at,
    );
    expect(feed(createNonin2Parser(), bytes)).toEqual([battery(false), SENSOR_OFF, wave(pleth)]);
  });

  it('reports the battery when it changes, and again after the port is reopened', () => {
    const parser = createNonin2Parser();
    const out = feed(parser, packet(), packet(), packet({ lowBattery: true }));
    expect(out.filter((o) => o.type === 'battery')).toEqual([battery(false), battery(true)]);
    parser.reset();
    expect(feed(parser, packet({ lowBattery: true })).filter((o) => o.type === 'battery')).toEqual([
      battery(true),
    ]);
  });

  it('frames need the start byte, status bit 7 and the checksum; stray bytes are reported once per chunk', () => {
    const good = packet();
    for (const [offset, value] of [
      [0, 0x02], // start byte
      [1, good[1]! & 0x7f], // status bit 7 cleared
      [4, (good[4]! + 1) & 0xff], // checksum
    ] as const) {
      const bytes = Uint8Array.from(good);
      bytes[offset] = value;
      const out = feed(createNonin2Parser(), bytes);
      // The first frame (SYNC) is lost: no reading from this packet, one GARBAGE, the other 24 samples.
      expect(out).toEqual([GARBAGE, wave(pleth.slice(1))]);
    }
  });

  it('a frame split across chunks is carried over; bytes lost mid-packet void that packet only', () => {
    const parser = createNonin2Parser();
    const a = packet({ heartRate: 80 });
    expect(feed(parser, a.subarray(0, 7), a.subarray(7))).toEqual([
      wave(pleth.slice(0, 1)),
      battery(false),
      reading(80, 97),
      wave(pleth.slice(1)),
    ]);
    // Ten frames in, two bytes vanish: GARBAGE, no reading for this packet, the next one is whole.
    const b = packet({ heartRate: 81 });
    const damaged = Uint8Array.from([...b.subarray(0, 50), ...b.subarray(52)]);
    const out = feed(parser, damaged, packet({ heartRate: 82 }));
    expect(out.filter((o) => o.type !== 'waveform')).toEqual([GARBAGE, reading(82, 97)]);
  });

  it('a packet cut short by the next SYNC frame is reported, and the new packet is read', () => {
    const out = feed(
      createNonin2Parser(),
      packet({ heartRate: 80 }).subarray(0, 60),
      packet({ heartRate: 90 }),
    );
    expect(out.filter((o) => o.type !== 'waveform')).toEqual([
      problem('TRUNCATED', 'An oximeter packet was cut short; its values were skipped.'),
      battery(false),
      reading(90, 97),
    ]);
  });

  it('after a reset, a packet already under way gives no reading until the next SYNC frame', () => {
    const parser = createNonin2Parser();
    const a = packet({ heartRate: 80 });
    feed(parser, a.subarray(0, 52));
    parser.reset();
    const out = feed(parser, a.subarray(52), packet({ heartRate: 85 }));
    expect(out.filter((o) => o.type === 'measurement')).toEqual([reading(85, 97)]);
  });

  it('builds packets as the format says: HR split over frames 1–2, SpO2 in 3, firmware in 4, STATUS2 in 8', () => {
    const bytes = encodeNonin2Packet({ heartRate: 300, spo2: 95, pleth, firmware: 0x33, lowBattery: true });
    const frame = (i: number) => [...bytes.subarray(i * 5, i * 5 + 5)];
    expect(frame(0).slice(0, 4)).toEqual([0x01, 0x80 | 0x01 | 0x02, 90, 300 >> 7]);
    expect(frame(1)[3]).toBe(300 & 0x7f);
    expect(frame(2)[3]).toBe(95);
    expect(frame(3)[3]).toBe(0x33);
    expect(frame(7)[3]).toBe(0x01);
    expect(frame(8)[3]).toBe(0);
    expect(frame(1)[1]).toBe(0x80 | 0x02);
    expect(encodeNonin2Packet({ heartRate: 72, spo2: 97, pleth: [] }).subarray(2, 3)[0]).toBe(128);
    expect(encodeNonin2Packet({ heartRate: 72, spo2: 97, pleth })[3 * 5 + 3]).toBe(0x2a);
    const flagged = encodeNonin2Packet({
      heartRate: 72,
      spo2: 97,
      pleth,
      sensorDisconnected: true,
      artifact: true,
      outOfTrack: true,
      perfusion: 'yellow',
    });
    expect(flagged[5 + 1]).toBe(0x80 | 0x40 | 0x20 | 0x10 | 0x06);
  });

  it('opens the port at 9600 baud 8N1', () => {
    expect(nonin2Driver.line).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    expect(nonin2Driver.streaming).toBe(true);
  });
});
