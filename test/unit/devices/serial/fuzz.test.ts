/**
 * Fuzzing the serial parsers: over a million random and mutated frames each, fed in random chunk sizes.
 * Nothing may throw, no reading outside the plausible ranges may come out, and a clean stream after
 * the noise must be read correctly again (resynchronisation).
 */
import { describe, expect, it } from 'vitest';
import { checkPlausible } from '../../../../shared/clinical/plausibility';
import { createAndScaleParser } from '../../../../main/devices/serial/drivers/and-scale';
import { createNonin2Parser, encodeNonin2Packet } from '../../../../main/devices/serial/drivers/nonin-2';
import { createNonin7Parser, encodeNonin7Packet } from '../../../../main/devices/serial/drivers/nonin-7';
import { createNonin8Parser, encodeNonin8 } from '../../../../main/devices/serial/drivers/nonin-8';
import type { DriverOutput, FrameParser } from '../../../../main/devices/serial/drivers/types';
import { seededRandom } from '../../../sim/serial/simulators';

const FRAMES = 1_000_000;

interface Tally {
  measurements: number;
  problems: number;
  implausible: number;
}

const SIGNAL_QUALITIES = new Set([undefined, 'good', 'weak', 'poor']);

function check(out: DriverOutput, tally: Tally) {
  if (out.type === 'measurement') {
    tally.measurements++;
    if (!SIGNAL_QUALITIES.has(out.signalQuality)) tally.implausible++;
    for (const v of out.values)
      if (!Number.isFinite(v.value) || !checkPlausible(v.kind, v.value).ok) tally.implausible++;
  } else if (out.type === 'problem') tally.problems++;
}

/** Mutates a valid frame the ways a serial line corrupts data: bit flips, lost, extra and cut bytes. */
function mutate(frame: Uint8Array, random: () => number): Uint8Array {
  const bytes = Array.from(frame);
  const kind = Math.floor(random() * 5);
  const at = Math.floor(random() * bytes.length);
  if (kind === 0) bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
  else if (kind === 1) bytes.splice(at, 1);
  else if (kind === 2) bytes.splice(at, 0, Math.floor(random() * 256));
  else if (kind === 3) bytes.length = at;
  else bytes[at] = Math.floor(random() * 256);
  return Uint8Array.from(bytes);
}

/** Builds the fuzz stream in blocks (memory stays small) and feeds it in random chunk sizes. */
function fuzz(
  parser: FrameParser,
  makeFrame: (i: number, random: () => number) => Uint8Array,
  seed: number,
): Tally {
  const random = seededRandom(seed);
  const tally: Tally = { measurements: 0, problems: 0, implausible: 0 };
  const emit = (o: DriverOutput) => check(o, tally);
  const block: Uint8Array[] = [];
  let blockBytes = 0;
  const flush = () => {
    const stream = new Uint8Array(blockBytes);
    let offset = 0;
    for (const f of block) {
      stream.set(f, offset);
      offset += f.length;
    }
    block.length = 0;
    blockBytes = 0;
    for (let i = 0; i < stream.length;) {
      const n = 1 + Math.floor(random() * 64);
      parser.push(stream.subarray(i, i + n), emit);
      i += n;
    }
  };
  for (let i = 0; i < FRAMES; i++) {
    const frame = makeFrame(i, random);
    block.push(frame);
    blockBytes += frame.length;
    if (block.length === 10_000) flush();
  }
  flush();
  return tally;
}

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function collect(parser: FrameParser, ...chunks: Uint8Array[]): DriverOutput[] {
  const out: DriverOutput[] = [];
  for (const c of chunks) parser.push(c, (o) => out.push(o));
  return out;
}

describe('serial parser fuzzing (1M frames each)', () => {
  it('Nonin #8: no throw, nothing implausible, resyncs', () => {
    const parser = createNonin8Parser();
    const tally = fuzz(
      parser,
      (i, random) => {
        const valid = encodeNonin8({
          heartRate: Math.floor(random() * 512),
          spo2: Math.floor(random() * 128),
          lowBattery: random() < 0.1,
          sensorDisconnected: random() < 0.05,
        });
        const pick = i % 3;
        return pick === 0 ? randomBytes(random, 4) : pick === 1 ? mutate(valid, random) : valid;
      },
      8,
    );
    expect(tally.implausible).toBe(0);
    expect(tally.measurements).toBeGreaterThan(50_000);
    expect(tally.problems).toBeGreaterThan(100_000);
    const after = collect(
      parser,
      encodeNonin8({ heartRate: 64, spo2: 98 }),
      encodeNonin8({ heartRate: 65, spo2: 98 }),
    );
    expect(after.filter((o) => o.type === 'measurement').at(-1)).toMatchObject({
      values: [{ value: 65 }, { value: 98 }],
    });
  });

  it('Nonin #2: no throw, nothing implausible, resyncs', () => {
    const parser = createNonin2Parser();
    const pleth = Array.from({ length: 25 }, (_, i) => i * 10);
    // Frames (5 bytes), not packets: a packet is 25 frames. Valid packets are cut into their frames.
    let packet: Uint8Array = new Uint8Array(0);
    let frameInPacket = 25;
    let packets = 0;
    let corruptAt = -1;
    const tally = fuzz(
      parser,
      (i, random) => {
        if (frameInPacket === 25) {
          packet = encodeNonin2Packet({
            heartRate: Math.floor(random() * 512),
            spo2: Math.floor(random() * 128),
            pleth,
            lowBattery: random() < 0.1,
          });
          frameInPacket = 0;
          // Two packets in three carry one random or mutated frame somewhere; the third is clean.
          corruptAt = packets++ % 3 === 0 ? -1 : Math.floor(random() * 25);
        }
        const frame = packet.subarray(frameInPacket * 5, frameInPacket * 5 + 5);
        frameInPacket++;
        if (frameInPacket - 1 !== corruptAt) return frame;
        return i % 2 === 0 ? randomBytes(random, 5) : mutate(frame, random);
      },
      2,
    );
    expect(tally.implausible).toBe(0);
    expect(tally.measurements).toBeGreaterThan(1000);
    expect(tally.problems).toBeGreaterThan(10_000);
    const good = encodeNonin2Packet({ heartRate: 77, spo2: 95, pleth });
    const after = collect(parser, good, good);
    expect(after.filter((o) => o.type === 'measurement').at(-1)).toMatchObject({
      values: [{ value: 77 }, { value: 95 }],
    });
  });

  it('Nonin #7: no throw, nothing implausible, resyncs (frames without a start byte)', () => {
    const parser = createNonin7Parser();
    const pleth = Array.from({ length: 25 }, (_, i) => 0x8000 + i * 700);
    const colours = ['green', 'yellow', 'red', 'none'] as const;
    let packet: Uint8Array = new Uint8Array(0);
    let frameInPacket = 25;
    let packets = 0;
    let corruptAt = -1;
    let samples = 0;
    let badSamples = 0;
    const tally = fuzz(
      {
        // Counts pleth samples too: only frames of a locked packet give samples, and all are 16-bit.
        push: (bytes, emit) =>
          parser.push(bytes, (o) => {
            if (o.type === 'waveform') {
              samples += o.samples.length;
              badSamples += o.samples.filter((v) => !Number.isInteger(v) || v < 0 || v > 0xffff).length;
            }
            emit(o);
          }),
        reset: () => parser.reset(),
      },
      (i, random) => {
        if (frameInPacket === 25) {
          packet = encodeNonin7Packet({
            heartRate: Math.floor(random() * 512),
            spo2: Math.floor(random() * 128),
            pleth,
            perfusion: colours[Math.floor(random() * 4)]!,
            artifact: random() < 0.1,
            lowBattery: random() < 0.1,
            extendedHeartRate: Math.floor(random() * 512),
          });
          frameInPacket = 0;
          corruptAt = packets++ % 3 === 0 ? -1 : Math.floor(random() * 25);
        }
        const frame = packet.subarray(frameInPacket * 5, frameInPacket * 5 + 5);
        frameInPacket++;
        if (frameInPacket - 1 !== corruptAt) return frame;
        return i % 2 === 0 ? randomBytes(random, 5) : mutate(frame, random);
      },
      7,
    );
    expect(tally.implausible).toBe(0);
    expect(tally.measurements).toBeGreaterThan(1000);
    expect(tally.problems).toBeGreaterThan(10_000);
    expect(samples).toBeGreaterThan(300_000);
    expect(badSamples).toBe(0);
    const good = encodeNonin7Packet({ heartRate: 77, spo2: 95, pleth });
    const after = collect(parser, good, good);
    expect(after.filter((o) => o.type === 'measurement').at(-1)).toMatchObject({
      values: [{ value: 77 }, { value: 95 }],
      signalQuality: 'good',
    });
  });

  it('A&D scale: no throw, nothing implausible, resyncs', () => {
    const parser = createAndScaleParser();
    const encoder = new TextEncoder();
    const headers = ['ST', 'US', 'OL', 'QT', 'ST', 'ST'];
    const units = [' kg', '  g', ' lb', ' oz', ' PC', '  %', ' kg'];
    const tally = fuzz(
      parser,
      (i, random) => {
        const header = headers[Math.floor(random() * headers.length)]!;
        const value = (random() * 2 - 0.5) * 10 ** Math.floor(random() * 7);
        const data = `${value < 0 ? '-' : '+'}${Math.abs(value).toFixed(2).padStart(8, '0').slice(-8)}`;
        const valid = encoder.encode(`${header},${data}${units[Math.floor(random() * units.length)]}\r\n`);
        const pick = i % 3;
        return pick === 0 ? randomBytes(random, 17) : pick === 1 ? mutate(valid, random) : valid;
      },
      3,
    );
    expect(tally.implausible).toBe(0);
    expect(tally.measurements).toBeGreaterThan(10_000);
    expect(tally.problems).toBeGreaterThan(100_000);
    const after = collect(parser, encoder.encode('\r\nST,+00081.30 kg\r\n'));
    expect(after.filter((o) => o.type === 'measurement').at(-1)).toMatchObject({ values: [{ value: 81.3 }] });
  });
});
