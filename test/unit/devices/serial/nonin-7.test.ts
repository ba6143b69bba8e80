/**
 * Nonin data format #7 on byte streams. The field map is Nonin's "Serial Data Format #7" (OEM III Module
 * and WristOx2 Model 3150 OEM Specification and Technical Information), cross-checked against mdpnp/mdpnp
 * devices/nonin/src/main/java/org/mdpnp/devices/nonin/pulseox/Packet.java and Status.java (BSD): frames
 * of status, pleth MSB, pleth LSB, value byte, checksum; 25 to a packet; SYNC in frame 1's status.
 */
import { describe, expect, it } from 'vitest';
import {
  createNonin7Parser,
  decodeNonin7Values,
  encodeNonin7Frame,
  encodeNonin7Packet,
  nonin7Driver,
  NONIN7_FRAME_LENGTH,
  type Nonin7PacketSpec,
} from '../../../../main/devices/serial/drivers/nonin-7';
import { serialDriverFor } from '../../../../main/devices/serial/drivers';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { feed } from './collect';

const pleth = Array.from({ length: 25 }, (_, i) => 0x8000 + i * 300);
const packet = (spec: Partial<Nonin7PacketSpec> = {}) =>
  encodeNonin7Packet({ heartRate: 72, spo2: 97, pleth, ...spec });
const measurements = (out: DriverOutput[]) => out.flatMap((o) => (o.type === 'measurement' ? [o] : []));
const problems = (out: DriverOutput[]) => out.flatMap((o) => (o.type === 'problem' ? [o.error.code] : []));
const samples = (out: DriverOutput[]) => out.flatMap((o) => (o.type === 'waveform' ? o.samples : []));
const values = (out: DriverOutput[]) => measurements(out).map((m) => m.values.map((v) => [v.kind, v.value]));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

/**
 * One packet written out byte by byte from the specification's table (not with the encoder): every
 * frame is [status, pleth MSB, pleth LSB, value, (sum of the four) mod 256], status 0x80 | perfusion
 * green (0x02), frame 1 also SYNC (0x01).
 */
function specPacket(valueByFrame: Record<number, number>): Uint8Array {
  const bytes: number[] = [];
  for (let frame = 1; frame <= 25; frame++) {
    const status = 0x80 | 0x02 | (frame === 1 ? 0x01 : 0);
    const msb = 0x12;
    const lsb = frame;
    const value = valueByFrame[frame] ?? 0;
    bytes.push(status, msb, lsb, value, (status + msb + lsb + value) % 256);
  }
  return Uint8Array.from(bytes);
}

// HR 201 = 0b1_1001001: MSB byte 0x01 (bits 8..7 = 01), LSB byte 0x49 (bits 6..0 = 73).
const SPEC_VALUES = {
  1: 0x01, // HR MSB
  2: 0x49, // HR LSB
  3: 96, // SpO2 (4-beat)
  4: 0x2c, // firmware revision
  8: 0x20, // STAT2: SmartPoint
  9: 95, // SpO2-D
  10: 94, // SpO2 fast
  11: 93, // SpO2 beat-to-beat
  14: 0x01, // E-HR MSB
  15: 0x02, // E-HR LSB: 130
  16: 98, // E-SpO2
  17: 99, // E-SpO2-D
  20: 0x01, // HR-D MSB
  21: 0x47, // HR-D LSB: 199
  22: 0x00, // E-HR-D MSB
  23: 0x50, // E-HR-D LSB: 80
};

describe('Nonin format #7: the field map', () => {
  it('decodes every value the specification lists, the 9-bit rates as MSB bits 8..7 and LSB bits 6..0', () => {
    const bytes = specPacket(SPEC_VALUES);
    const valueBytes = Array.from({ length: 25 }, (_, i) => bytes[i * 5 + 3]!);
    expect(decodeNonin7Values(valueBytes)).toEqual({
      heartRate: 201,
      spo2: 96,
      firmwareRevision: 0x2c,
      smartPoint: true,
      lowBattery: false,
      spo2Display: 95,
      spo2Fast: 94,
      spo2BeatToBeat: 93,
      extendedHeartRate: 130,
      extendedSpo2: 98,
      extendedSpo2Display: 99,
      heartRateDisplay: 199,
      extendedHeartRateDisplay: 80,
    });
    // mdpnp's Packet.java joins the rates as MSB << 8 (it would read 256 + 73 = 329 here); the
    // specification's MSB byte holds bits 8..7, so the reading is 128 + 73 = 201.
    expect(values(feed(createNonin7Parser(), bytes, specPacket(SPEC_VALUES)))).toEqual([
      [
        ['heartRate', 201],
        ['spo2', 96],
      ],
      [
        ['heartRate', 201],
        ['spo2', 96],
      ],
    ]);
  });

  it('the encoder writes the same bytes as the specification table', () => {
    const encoded = encodeNonin7Packet({
      heartRate: 201,
      spo2: 96,
      firmware: 0x2c,
      smartPoint: true,
      spo2Display: 95,
      spo2Fast: 94,
      spo2BeatToBeat: 93,
      extendedHeartRate: 130,
      extendedSpo2: 98,
      extendedSpo2Display: 99,
      heartRateDisplay: 199,
      extendedHeartRateDisplay: 80,
      pleth: Array.from({ length: 25 }, (_, i) => 0x1200 + i + 1),
    });
    expect(Array.from(encoded)).toEqual(Array.from(specPacket(SPEC_VALUES)));
  });

  it('the pleth is 16 bits, MSB first, at 75 Hz, 25 samples a packet', () => {
    const wide = [0, 0xffff, 0x1234, 0xff00, 0x00ff, ...pleth.slice(5)];
    const out = feed(createNonin7Parser(), packet({ pleth: wide }));
    expect(samples(out)).toEqual(wide);
    expect(out.find((o) => o.type === 'waveform')).toMatchObject({ signal: 'pleth', sampleRateHz: 75 });
  });

  it('is registered with its line settings', () => {
    expect(serialDriverFor('serial.nonin-7')).toBe(nonin7Driver);
    expect(nonin7Driver.line).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    expect(nonin7Driver.streaming).toBe(true);
  });
});

describe('Nonin format #7: finding frames without a start byte', () => {
  it('garbage before the first frame 1 is skipped and reported once; the packet after it reads', () => {
    // Noise with bit 7 set in places, so it looks like status bytes; then a whole packet.
    const noise = Uint8Array.of(0x83, 0x10, 0x20, 0x05, 0xff, 0x81, 0x00, 0x00, 0x7f, 0x90, 0x91);
    const out = feed(createNonin7Parser(), concat(noise, packet()), packet({ heartRate: 73 }));
    expect(problems(out)).toEqual(['GARBAGE']);
    expect(out[0]).toEqual({
      type: 'problem',
      error: {
        code: 'GARBAGE',
        message: 'The oximeter sent bytes that are not in its data format; skipped.',
      },
    });
    expect(values(out).map((v) => v[0])).toEqual([
      ['heartRate', 72],
      ['heartRate', 73],
    ]);
    expect(samples(out)).toHaveLength(50);
  });

  it('joining a packet midway waits for the next frame 1 without calling it garbage, and shows no pleth till then', () => {
    const joined = packet({ heartRate: 60 }).subarray(10 * NONIN7_FRAME_LENGTH);
    const out = feed(createNonin7Parser(), joined, packet({ heartRate: 61 }));
    expect(problems(out)).toEqual([]);
    expect(values(out)).toEqual([
      [
        ['heartRate', 61],
        ['spo2', 97],
      ],
    ]);
    expect(samples(out)).toEqual(pleth);
  });

  it('a checksum error drops its packet (no half values), says so, and the next packet reads', () => {
    const bad = packet({ heartRate: 150 });
    bad[2 * NONIN7_FRAME_LENGTH + 4] = bad[2 * NONIN7_FRAME_LENGTH + 4]! ^ 0x01; // frame 3 (SpO2) checksum
    const out = feed(createNonin7Parser(), packet({ heartRate: 70 }), bad, packet({ heartRate: 71 }));
    expect(problems(out)).toEqual(['GARBAGE']);
    expect(values(out).map((v) => v[0]![1])).toEqual([70, 71]);
  });

  it('a value byte with bit 7 set is not a frame, even with a matching checksum', () => {
    const bad = packet({ heartRate: 90 });
    const frame = encodeNonin7Frame({ status: 0x02, pleth: 0x8000, value: 0 });
    frame[3] = 0x85; // value byte bit 7 set: impossible in format #7
    frame[4] = (frame[0]! + frame[1]! + frame[2]! + frame[3]!) & 0xff;
    bad.set(frame, 4 * NONIN7_FRAME_LENGTH);
    const out = feed(createNonin7Parser(), bad, packet({ heartRate: 91 }));
    expect(problems(out)).toEqual(['GARBAGE']);
    expect(values(out).map((v) => v[0]![1])).toEqual([91]);
  });

  it('a status byte without bit 7 is not a frame', () => {
    const bad = packet({ heartRate: 90 });
    bad[6 * NONIN7_FRAME_LENGTH] = bad[6 * NONIN7_FRAME_LENGTH]! & 0x7f;
    bad[6 * NONIN7_FRAME_LENGTH + 4] = (bad[6 * NONIN7_FRAME_LENGTH + 4]! - 0x80) & 0xff; // checksum kept right
    const out = feed(createNonin7Parser(), bad, packet({ heartRate: 91 }));
    expect(problems(out)).toEqual(['GARBAGE']);
    expect(values(out).map((v) => v[0]![1])).toEqual([91]);
  });

  it('a lost frame cuts its packet short: reported, skipped, and the next packet reads', () => {
    const short = packet({ heartRate: 88 });
    const withoutFrame12 = concat(short.subarray(0, 11 * 5), short.subarray(12 * 5));
    const out = feed(createNonin7Parser(), withoutFrame12, packet({ heartRate: 89 }));
    expect(problems(out)).toEqual(['TRUNCATED']);
    expect(out).toContainEqual({
      type: 'problem',
      error: { code: 'TRUNCATED', message: 'An oximeter packet was cut short; its values were skipped.' },
    });
    expect(values(out).map((v) => v[0]![1])).toEqual([89]);
  });

  it('a frame 1 is locked on only when a valid frame 2 follows it', () => {
    // A lone "frame 1" made of noise, then a real packet: the lone one gives nothing.
    const lone = encodeNonin7Frame({ status: 0x01, pleth: 0x4000, value: 5 });
    const out = feed(createNonin7Parser(), lone, Uint8Array.of(0x00, 0x11), packet({ heartRate: 66 }));
    expect(values(out).map((v) => v[0]![1])).toEqual([66]);
    expect(samples(out)).toEqual(pleth);
  });

  it('half frames give nothing; any chunking gives the same outputs as whole packets', () => {
    const stream = concat(packet({ heartRate: 80 }), packet({ heartRate: 81, perfusion: 'yellow' }));
    const whole = feed(createNonin7Parser(), stream);
    const parser = createNonin7Parser();
    const out: DriverOutput[] = [];
    for (let i = 0; i < stream.length; i += 3) parser.push(stream.subarray(i, i + 3), (o) => out.push(o));
    expect(measurements(out)).toEqual(measurements(whole));
    expect(samples(out)).toEqual(samples(whole));
    // A packet missing its last 2 bytes gives no reading until they come.
    const cut = createNonin7Parser();
    expect(measurements(feed(cut, packet().subarray(0, 123)))).toEqual([]);
    expect(values(feed(cut, packet().subarray(123)))).toHaveLength(1);
  });

  it('reset forgets a packet under way (a replugged device starts clean)', () => {
    const parser = createNonin7Parser();
    feed(parser, packet({ heartRate: 50 }).subarray(0, 60));
    parser.reset();
    const out = feed(parser, packet({ heartRate: 50 }).subarray(60), packet({ heartRate: 51 }));
    expect(values(out).map((v) => v[0]![1])).toEqual([51]);
  });
});

describe('Nonin format #7: status and missing data', () => {
  const SENSOR_OFF = 'The oximeter sensor is off the finger or not connected.';
  const NO_PULSE = 'The oximeter has lost the pulse signal; keep the finger still.';
  const NO_VALUE = 'The oximeter has no value yet; wait for a steady pulse.';
  const messageOf = (spec: Partial<Nonin7PacketSpec>) =>
    feed(createNonin7Parser(), packet(spec)).flatMap((o) =>
      o.type === 'problem' ? [o.error.message] : o.type === 'measurement' ? ['reading'] : [],
    );

  it.each<[string, Partial<Nonin7PacketSpec>, string]>([
    ['sensor disconnected', { sensorDisconnected: true, heartRate: 511, spo2: 127 }, SENSOR_OFF],
    ['sensor alarm', { sensorAlarm: true }, SENSOR_OFF],
    ['out of track', { outOfTrack: true }, NO_PULSE],
    ['pulse rate missing (511)', { heartRate: 511 }, NO_VALUE],
    ['SpO2 missing (127)', { spo2: 127 }, NO_VALUE],
    ['both missing', { heartRate: 511, spo2: 127 }, NO_VALUE],
  ])('%s gives no reading: "%s"', (_name, spec, message) => {
    expect(messageOf(spec)).toEqual([message]);
  });

  it('a missing extended or display value is no value, not 127 or 511', () => {
    const bytes = packet({ extendedHeartRate: 511, spo2Display: 127, extendedSpo2: 127 });
    const valueBytes = Array.from({ length: 25 }, (_, i) => bytes[i * 5 + 3]!);
    expect(decodeNonin7Values(valueBytes)).toMatchObject({
      heartRate: 72,
      spo2: 97,
      extendedHeartRate: null,
      spo2Display: null,
      extendedSpo2: null,
    });
  });

  it('low battery (STAT2 bit 0) is reported when it changes', () => {
    const out = feed(
      createNonin7Parser(),
      packet(),
      packet({ lowBattery: true }),
      packet({ lowBattery: true }),
      packet(),
    );
    expect(out.filter((o) => o.type === 'battery')).toEqual([
      { type: 'battery', low: false },
      { type: 'battery', low: true },
      { type: 'battery', low: false },
    ]);
  });
});

describe('Nonin format #7: perfusion as signal quality', () => {
  const reading = (spec: Partial<Nonin7PacketSpec>) =>
    measurements(feed(createNonin7Parser(), packet(spec)))[0];

  it.each<[string, Partial<Nonin7PacketSpec>, string, string[]]>([
    ['green', { perfusion: 'green' }, 'good', []],
    ['yellow', { perfusion: 'yellow' }, 'weak', ['marginal perfusion']],
    ['red', { perfusion: 'red' }, 'poor', ['low perfusion']],
    ['green with artifact', { perfusion: 'green', artifact: true }, 'weak', ['artifact detected']],
    [
      'red with artifact',
      { perfusion: 'red', artifact: true },
      'poor',
      ['low perfusion', 'artifact detected'],
    ],
  ])('%s perfusion: signal %s', (_name, spec, quality, notes) => {
    expect(reading(spec)).toMatchObject({ signalQuality: quality, notes });
  });

  it('the worst colour of the packet wins: one red pulse among green frames is a poor signal', () => {
    const colours = Array.from({ length: 25 }, (_, i): 'red' | 'green' =>
      i >= 12 && i < 20 ? 'red' : 'green',
    );
    expect(reading({ perfusion: colours })).toMatchObject({
      signalQuality: 'poor',
      notes: ['low perfusion'],
    });
  });

  it('a packet between pulses (bits 00) carries the last pulse colour; before any pulse there is none', () => {
    const between = packet({ perfusion: 'none', heartRate: 70 });
    const out = feed(createNonin7Parser(), between, packet({ perfusion: 'yellow' }), between, between);
    expect(measurements(out).map((m) => m.signalQuality)).toEqual([undefined, 'weak', 'weak', 'weak']);
    expect(measurements(out)[0]).not.toHaveProperty('signalQuality');
  });
});
