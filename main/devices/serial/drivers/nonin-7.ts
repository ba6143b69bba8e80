/**
 * Nonin pulse oximeter, serial data format #7: 5-byte frames at 75 Hz, 25 frames to a packet (three
 * packets a second), 9600 baud 8N1. Like #2, but the pleth is 16 bits and there is no start byte.
 *
 * Frame layout (Nonin, "Serial Data Format #7" in the OEM III Module and the WristOx2 Model 3150 OEM
 * Specification and Technical Information; cross-checked against the open-source field map of mdpnp/mdpnp,
 * devices/nonin/src/main/java/org/mdpnp/devices/nonin/pulseox/Packet.java and Status.java, BSD licence):
 *   byte 1 STATUS  bit7 = 1 always, bit6 SNSD sensor disconnected, bit5 ARTF artifact, bit4 OOT out of
 *                  track, bit3 SNSA sensor alarm, bits2..1 perfusion (01 green, 11 yellow, 10 red; set for
 *                  about 12 frames per pulse, 00 between pulses), bit0 SYNC (1 in frame 1 only)
 *   byte 2 PLETH MSB, byte 3 PLETH LSB (16-bit pleth sample)
 *   byte 4 value byte, bit7 = 0 always; its meaning follows the frame's place in the packet:
 *          frame 1 HR MSB (bits1..0 = HR bits 8..7), 2 HR LSB (bits6..0), 3 SpO2, 4 firmware revision,
 *          8 STAT2 (bit5 SmartPoint), 9 SpO2-D, 10 SpO2 fast, 11 SpO2 beat-to-beat,
 *          14/15 E-HR MSB/LSB, 16 E-SpO2, 17 E-SpO2-D, 20/21 HR-D MSB/LSB, 22/23 E-HR-D MSB/LSB,
 *          the rest reserved. Standard values are 4-beat averages, E- values 8-beat; -D values are the
 *          display-mode ones.
 *   byte 5 CHK     (byte1 + byte2 + byte3 + byte4) modulo 256
 * HR 511 and SpO2 127 mean "missing data".
 * Where the two sources differ, the specification wins: mdpnp joins the 9-bit rates as MSB << 8 (the
 * specification's MSB carries bits 8..7, so << 7), stores SpO2-D over the frame-3 SpO2 and reads
 * frames 6-7 as a timer (reserved in the specification). Low battery is STAT2 bit0 in mdpnp and in
 * format #2; the OEM III table marks it reserved, so a module that never sets it simply reads "not low".
 *
 * Without a start byte, the parser locks on a frame 1 (bit 7 of the status set, bit 7 of the value byte
 * clear, checksum right, SYNC set) followed by a frame 2 that is equally valid without SYNC; it then
 * takes frames every 5 bytes and drops the lock (and the packet) at the first frame that fails.
 */
import { recordToOutputs } from './nonin-8';
import { PERFUSION_STATUS_BITS, type Perfusion } from './signal-quality';
import type { DriverOutputSink, FrameParser, SerialDriver } from './types';
import { afterPending } from './pending-bytes';

export const NONIN7_FRAME_LENGTH = 5;
export const NONIN7_FRAMES_PER_PACKET = 25;
export const NONIN7_SAMPLE_RATE_HZ = 75;

const STATUS_SYNC_BIT = 0x01;
const MISSING_HEART_RATE = 511;
const MISSING_SPO2 = 127;

/** Every value one packet carries; null where the oximeter sent "missing data". */
export interface Nonin7Values {
  /** 4-beat average pulse rate and SpO2 (standard mode): what the reading carries. */
  heartRate: number | null;
  spo2: number | null;
  firmwareRevision: number;
  smartPoint: boolean;
  lowBattery: boolean;
  spo2Display: number | null;
  spo2Fast: number | null;
  spo2BeatToBeat: number | null;
  extendedHeartRate: number | null;
  extendedSpo2: number | null;
  extendedSpo2Display: number | null;
  heartRateDisplay: number | null;
  extendedHeartRateDisplay: number | null;
}

const rate = (msb: number, lsb: number) => {
  const value = ((msb & 0x03) << 7) | (lsb & 0x7f);
  return value === MISSING_HEART_RATE ? null : value;
};
const saturation = (byte: number) => {
  const value = byte & 0x7f;
  return value === MISSING_SPO2 ? null : value;
};

/** Decodes the 25 value bytes of one packet (frame 1 first). Pure. */
export function decodeNonin7Values(v: ArrayLike<number>): Nonin7Values {
  const at = (frame: number) => v[frame - 1] ?? 0;
  return {
    heartRate: rate(at(1), at(2)),
    spo2: saturation(at(3)),
    firmwareRevision: at(4) & 0x7f,
    smartPoint: (at(8) & 0x20) !== 0,
    lowBattery: (at(8) & 0x01) !== 0,
    spo2Display: saturation(at(9)),
    spo2Fast: saturation(at(10)),
    spo2BeatToBeat: saturation(at(11)),
    extendedHeartRate: rate(at(14), at(15)),
    extendedSpo2: saturation(at(16)),
    extendedSpo2Display: saturation(at(17)),
    heartRateDisplay: rate(at(20), at(21)),
    extendedHeartRateDisplay: rate(at(22), at(23)),
  };
}

export interface Nonin7Frame {
  status: number;
  /** 16-bit pleth sample. */
  pleth: number;
  value: number;
}

/** Builds one frame with its checksum (for simulators and tests). */
export function encodeNonin7Frame(frame: Nonin7Frame): Uint8Array {
  const status = 0x80 | (frame.status & 0x7f);
  const msb = (frame.pleth >> 8) & 0xff;
  const lsb = frame.pleth & 0xff;
  const value = frame.value & 0x7f;
  return Uint8Array.of(status, msb, lsb, value, (status + msb + lsb + value) & 0xff);
}

export interface Nonin7PacketSpec {
  heartRate: number;
  spo2: number;
  /** 25 pleth samples, 0..65535. */
  pleth: readonly number[];
  sensorDisconnected?: boolean;
  outOfTrack?: boolean;
  artifact?: boolean;
  sensorAlarm?: boolean;
  /** Every frame's perfusion colour (green when absent), or one per frame ('none' = bits 00). */
  perfusion?: Perfusion | 'none' | readonly (Perfusion | 'none')[];
  lowBattery?: boolean;
  smartPoint?: boolean;
  firmware?: number;
  /** The other values; each defaults to the standard heart rate or SpO2 above. */
  spo2Display?: number;
  spo2Fast?: number;
  spo2BeatToBeat?: number;
  extendedHeartRate?: number;
  extendedSpo2?: number;
  extendedSpo2Display?: number;
  heartRateDisplay?: number;
  extendedHeartRateDisplay?: number;
}

/** The 25 value bytes a packet carries, frame 1 first (for simulators and tests). */
function valueBytesOf(spec: Nonin7PacketSpec): number[] {
  const bytes = new Array<number>(NONIN7_FRAMES_PER_PACKET).fill(0);
  const putRate = (frame: number, hr: number) => {
    bytes[frame - 1] = (hr & 0x1ff) >> 7;
    bytes[frame] = hr & 0x7f;
  };
  putRate(1, spec.heartRate);
  bytes[2] = spec.spo2;
  bytes[3] = spec.firmware ?? 0x2a;
  bytes[7] = (spec.smartPoint ? 0x20 : 0) | (spec.lowBattery ? 0x01 : 0);
  bytes[8] = spec.spo2Display ?? spec.spo2;
  bytes[9] = spec.spo2Fast ?? spec.spo2;
  bytes[10] = spec.spo2BeatToBeat ?? spec.spo2;
  putRate(14, spec.extendedHeartRate ?? spec.heartRate);
  bytes[15] = spec.extendedSpo2 ?? spec.spo2;
  bytes[16] = spec.extendedSpo2Display ?? spec.spo2;
  putRate(20, spec.heartRateDisplay ?? spec.heartRate);
  putRate(22, spec.extendedHeartRateDisplay ?? spec.heartRate);
  return bytes;
}

/** Builds a whole 25-frame packet (for simulators and tests). */
export function encodeNonin7Packet(spec: Nonin7PacketSpec): Uint8Array {
  const out = new Uint8Array(NONIN7_FRAME_LENGTH * NONIN7_FRAMES_PER_PACKET);
  const values = valueBytesOf(spec);
  for (let i = 0; i < NONIN7_FRAMES_PER_PACKET; i++) {
    const colour = typeof spec.perfusion === 'object' ? spec.perfusion[i] : (spec.perfusion ?? 'green');
    const status =
      (i === 0 ? STATUS_SYNC_BIT : 0) |
      (spec.sensorDisconnected ? 0x40 : 0) |
      (spec.artifact ? 0x20 : 0) |
      (spec.outOfTrack ? 0x10 : 0) |
      (spec.sensorAlarm ? 0x08 : 0) |
      (colour === undefined || colour === 'none' ? 0 : PERFUSION_STATUS_BITS[colour]);
    out.set(
      encodeNonin7Frame({ status, pleth: spec.pleth[i] ?? 0x8000, value: values[i]! }),
      i * NONIN7_FRAME_LENGTH,
    );
  }
  return out;
}

/** A frame at `at`: status bit 7 set, value byte bit 7 clear, checksum right. */
function isFrameAt(buf: Uint8Array, at: number): boolean {
  const status = buf[at]!;
  const value = buf[at + 3]!;
  return (
    (status & 0x80) !== 0 &&
    (value & 0x80) === 0 &&
    ((status + buf[at + 1]! + buf[at + 2]! + value) & 0xff) === buf[at + 4]
  );
}

/** Status bits 2..1 → a rank (worse is higher), -1 between pulses: one table look-up per frame at 75 Hz. */
const RANK_OF_BITS = [-1, 0, 2, 1] as const;
const PERFUSION_OF_RANK: readonly Perfusion[] = ['green', 'yellow', 'red'];

const GARBAGE_MESSAGE = 'The oximeter sent bytes that are not in its data format; skipped.';

export function createNonin7Parser(): FrameParser {
  // Bytes carried between pushes: a partial frame, or (while hunting) the start of a frame 1 + frame 2.
  let pending = new Uint8Array(0);
  // -1 while hunting for a frame 1; else the index (0..24) of the next frame of the packet.
  let frameIndex = -1;
  const valueBytes = new Uint8Array(NONIN7_FRAMES_PER_PACKET);
  let packetStatusOr = 0;
  let packetRank = -1;
  // A pulse is coloured for about 12 frames, so a packet may have none: it carries the last pulse's colour.
  let lastPerfusion: Perfusion | undefined;
  let lastLowBattery: boolean | undefined;

  const finishPacket = (emit: DriverOutputSink) => {
    const values = decodeNonin7Values(valueBytes);
    if (values.lowBattery !== lastLowBattery) {
      lastLowBattery = values.lowBattery;
      emit({ type: 'battery', low: values.lowBattery });
    }
    const perfusion = packetRank >= 0 ? PERFUSION_OF_RANK[packetRank] : lastPerfusion;
    lastPerfusion = perfusion;
    recordToOutputs(
      {
        sensorDisconnected: (packetStatusOr & 0x40) !== 0,
        artifact: (packetStatusOr & 0x20) !== 0,
        outOfTrack: (packetStatusOr & 0x10) !== 0,
        sensorAlarm: (packetStatusOr & 0x08) !== 0,
        lowPerfusion: perfusion === 'red',
        marginalPerfusion: perfusion === 'yellow',
        heartRate: values.heartRate ?? MISSING_HEART_RATE,
        spo2: values.spo2 ?? MISSING_SPO2,
        smartPoint: values.smartPoint,
        lowBattery: values.lowBattery,
      },
      emit,
      { perfusion },
    );
  };

  return {
    push(bytes, emit) {
      const buf = afterPending(pending, bytes);
      const samples: number[] = [];
      let garbage = false;
      const flushGarbage = () => {
        if (!garbage) return;
        garbage = false;
        emit({ type: 'problem', error: { code: 'GARBAGE', message: GARBAGE_MESSAGE } });
      };
      let i = 0;
      const end = buf.length;
      while (i + NONIN7_FRAME_LENGTH <= end) {
        if (frameIndex < 0) {
          // Hunting: a frame 1 must be followed by a valid frame 2 before the lock is taken.
          if (i + 2 * NONIN7_FRAME_LENGTH > end) break;
          const locked =
            isFrameAt(buf, i) &&
            (buf[i]! & STATUS_SYNC_BIT) !== 0 &&
            isFrameAt(buf, i + NONIN7_FRAME_LENGTH) &&
            (buf[i + NONIN7_FRAME_LENGTH]! & STATUS_SYNC_BIT) === 0;
          if (!locked) {
            // A valid frame of a packet joined midway is skipped whole; anything else byte by byte.
            if (isFrameAt(buf, i) && (buf[i]! & STATUS_SYNC_BIT) === 0) i += NONIN7_FRAME_LENGTH;
            else {
              garbage = true;
              i++;
            }
            continue;
          }
          flushGarbage();
          frameIndex = 0;
        } else if (!isFrameAt(buf, i)) {
          // Lost the lock: this packet's values can no longer be trusted. Hunt again from the next byte.
          garbage = true;
          frameIndex = -1;
          i++;
          continue;
        }
        const status = buf[i]!;
        if ((status & STATUS_SYNC_BIT) !== 0) {
          if (frameIndex > 0) {
            emit({
              type: 'problem',
              error: {
                code: 'TRUNCATED',
                message: 'An oximeter packet was cut short; its values were skipped.',
              },
            });
          }
          frameIndex = 0;
          packetStatusOr = 0;
          packetRank = -1;
        } else if (frameIndex === 0) {
          // A 26th frame where a frame 1 belongs: out of step. Hunt again at this frame.
          frameIndex = -1;
          continue;
        }
        samples.push((buf[i + 1]! << 8) | buf[i + 2]!);
        valueBytes[frameIndex] = buf[i + 3]!;
        packetStatusOr |= status;
        const rank = RANK_OF_BITS[(status >> 1) & 0x03]!;
        if (rank > packetRank) packetRank = rank;
        frameIndex++;
        if (frameIndex === NONIN7_FRAMES_PER_PACKET) {
          finishPacket(emit);
          frameIndex = 0;
        }
        i += NONIN7_FRAME_LENGTH;
      }
      flushGarbage();
      pending = buf.slice(i);
      if (samples.length > 0) {
        emit({ type: 'waveform', signal: 'pleth', sampleRateHz: NONIN7_SAMPLE_RATE_HZ, samples });
      }
    },
    reset() {
      pending = new Uint8Array(0);
      frameIndex = -1;
      packetStatusOr = 0;
      packetRank = -1;
      lastPerfusion = undefined;
      lastLowBattery = undefined;
    },
  };
}

export const nonin7Driver: SerialDriver = {
  id: 'serial.nonin-7',
  manufacturer: 'Nonin Medical',
  streaming: true,
  model: 'Pulse oximeter (data format #7, 16-bit pleth)',
  line: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  createParser: createNonin7Parser,
};
