/**
 * Nonin pulse oximeter, serial data format #2: 5-byte frames at 75 Hz, 25 frames to a packet
 * (three packets a second), 9600 baud 8N1. Carries the pleth waveform plus HR/SpO2 once per packet.
 *
 * Frame layout (Nonin OEM III Module Specification and Technical Information, "Serial Data Format #2"):
 *   byte 1 = 0x01 (start)
 *   byte 2 STATUS  bit7 = 1, bit6 SNSD sensor disconnected, bit5 ARTF artifact, bit4 OOT out of track,
 *                  bit3 SNSA sensor alarm, bits2..1 perfusion (01 green, 10 red, 11 yellow; set for about
 *                  12 frames per pulse, 00 between pulses), bit0 SYNC (set on the first frame of each packet)
 *   byte 3 PLETH   8-bit pleth sample
 *   byte 4 value byte; which value depends on the frame's position in the packet:
 *                  frame 1 HR MSB (bits1..0 = HR bits 8..7), frame 2 HR LSB (bits6..0), frame 3 SpO2,
 *                  frame 4 firmware revision, frame 8 STATUS2 (bit0 low battery), ...
 *   byte 5 CHK     (byte1 + byte2 + byte3 + byte4) modulo 256
 * HR 511 and SpO2 127 mean "missing".
 */
import { recordToOutputs } from './nonin-8';
import { perfusionOfStatus, PERFUSION_STATUS_BITS, worsePerfusion, type Perfusion } from './signal-quality';
import type { DriverOutputSink, FrameParser, SerialDriver } from './types';
import { afterPending } from './pending-bytes';

export const NONIN2_FRAME_LENGTH = 5;
export const NONIN2_FRAMES_PER_PACKET = 25;
export const NONIN2_SAMPLE_RATE_HZ = 75;

const START = 0x01;
const STATUS_SYNC_BIT = 0x01;

export interface Nonin2Frame {
  status: number;
  pleth: number;
  value: number;
}

/** Builds one frame with its checksum (for simulators and tests). */
export function encodeNonin2Frame(frame: Nonin2Frame): Uint8Array {
  const status = 0x80 | (frame.status & 0x7f);
  const pleth = frame.pleth & 0xff;
  const value = frame.value & 0xff;
  return Uint8Array.of(START, status, pleth, value, (START + status + pleth + value) & 0xff);
}

export interface Nonin2PacketSpec {
  heartRate: number;
  spo2: number;
  /** 25 pleth samples, 0..255. */
  pleth: readonly number[];
  sensorDisconnected?: boolean;
  outOfTrack?: boolean;
  artifact?: boolean;
  /** The perfusion bits of every frame; green (good signal) when absent, bits 00 for 'none'. */
  perfusion?: Perfusion | 'none';
  lowBattery?: boolean;
  firmware?: number;
}

/** Builds a whole 25-frame packet (for simulators and tests). */
export function encodeNonin2Packet(spec: Nonin2PacketSpec): Uint8Array {
  const out = new Uint8Array(NONIN2_FRAME_LENGTH * NONIN2_FRAMES_PER_PACKET);
  const hr = spec.heartRate & 0x1ff;
  for (let i = 0; i < NONIN2_FRAMES_PER_PACKET; i++) {
    let value = 0;
    if (i === 0) value = hr >> 7;
    else if (i === 1) value = hr & 0x7f;
    else if (i === 2) value = spec.spo2 & 0x7f;
    else if (i === 3) value = spec.firmware ?? 0x2a;
    else if (i === 7) value = spec.lowBattery ? 0x01 : 0x00;
    const status =
      (i === 0 ? STATUS_SYNC_BIT : 0) |
      (spec.sensorDisconnected ? 0x40 : 0) |
      (spec.artifact ? 0x20 : 0) |
      (spec.outOfTrack ? 0x10 : 0) |
      (spec.perfusion === 'none' ? 0 : PERFUSION_STATUS_BITS[spec.perfusion ?? 'green']);
    out.set(encodeNonin2Frame({ status, pleth: spec.pleth[i] ?? 128, value }), i * NONIN2_FRAME_LENGTH);
  }
  return out;
}

function isFrameAt(buf: Uint8Array, start: number): boolean {
  const b1 = buf[start]!;
  const b2 = buf[start + 1]!;
  const b3 = buf[start + 2]!;
  const b4 = buf[start + 3]!;
  return b1 === START && (b2 & 0x80) !== 0 && ((b1 + b2 + b3 + b4) & 0xff) === buf[start + 4];
}

export function createNonin2Parser(): FrameParser {
  // Sliding window: up to one partial frame carried between pushes.
  let pending = new Uint8Array(0);
  // Packet assembly: -1 until the first SYNC frame is seen.
  let frameIndex = -1;
  const valueBytes = new Uint8Array(NONIN2_FRAMES_PER_PACKET);
  let packetStatusOr = 0;
  // The worst perfusion any frame of the packet reported: OR-ing the bits would turn green and red into yellow.
  let packetPerfusion: Perfusion | undefined;
  // A pulse is coloured for about 12 of its frames, so a packet (a third of a second) may have none:
  // it then carries the last pulse's colour.
  let lastPerfusion: Perfusion | undefined;
  let lastLowBattery: boolean | undefined;

  const problem = (emit: DriverOutputSink, code: 'GARBAGE' | 'TRUNCATED', message: string) =>
    emit({ type: 'problem', error: { code, message } });

  const finishPacket = (emit: DriverOutputSink) => {
    const lowBattery = (valueBytes[7]! & 0x01) !== 0;
    if (lowBattery !== lastLowBattery) {
      lastLowBattery = lowBattery;
      emit({ type: 'battery', low: lowBattery });
    }
    const perfusion = packetPerfusion ?? lastPerfusion;
    lastPerfusion = perfusion;
    recordToOutputs(
      {
        sensorDisconnected: (packetStatusOr & 0x40) !== 0,
        artifact: (packetStatusOr & 0x20) !== 0,
        outOfTrack: (packetStatusOr & 0x10) !== 0,
        sensorAlarm: (packetStatusOr & 0x08) !== 0,
        lowPerfusion: perfusion === 'red',
        marginalPerfusion: perfusion === 'yellow',
        heartRate: ((valueBytes[0]! & 0x03) << 7) | (valueBytes[1]! & 0x7f),
        spo2: valueBytes[2]! & 0x7f,
        smartPoint: false,
        lowBattery,
      },
      emit,
      { perfusion },
    );
  };

  return {
    push(bytes, emit) {
      const buf = afterPending(pending, bytes);
      const samples: number[] = [];
      let garbage = 0;
      let i = 0;
      const last = buf.length - NONIN2_FRAME_LENGTH;
      while (i <= last) {
        if (!isFrameAt(buf, i)) {
          garbage++;
          i++;
          continue;
        }
        if (garbage > 0) {
          problem(emit, 'GARBAGE', 'The oximeter sent bytes that are not in its data format; skipped.');
          garbage = 0;
          // Bytes were lost mid-packet: the values of this packet can no longer be trusted.
          if (frameIndex > 0) frameIndex = -1;
        }
        const status = buf[i + 1]!;
        samples.push(buf[i + 2]!);
        if ((status & STATUS_SYNC_BIT) !== 0) {
          if (frameIndex > 0) {
            problem(emit, 'TRUNCATED', 'An oximeter packet was cut short; its values were skipped.');
          }
          frameIndex = 0;
          packetStatusOr = 0;
          packetPerfusion = undefined;
        }
        if (frameIndex >= 0) {
          valueBytes[frameIndex] = buf[i + 3]!;
          packetStatusOr |= status;
          packetPerfusion = worsePerfusion(packetPerfusion, perfusionOfStatus(status));
          frameIndex++;
          if (frameIndex === NONIN2_FRAMES_PER_PACKET) {
            finishPacket(emit);
            frameIndex = -1;
          }
        }
        i += NONIN2_FRAME_LENGTH;
      }
      if (garbage > 0) {
        problem(emit, 'GARBAGE', 'The oximeter sent bytes that are not in its data format; skipped.');
        if (frameIndex > 0) frameIndex = -1;
      }
      pending = buf.slice(i);
      if (samples.length > 0) {
        emit({ type: 'waveform', signal: 'pleth', sampleRateHz: NONIN2_SAMPLE_RATE_HZ, samples });
      }
    },
    reset() {
      pending = new Uint8Array(0);
      frameIndex = -1;
      packetStatusOr = 0;
      lastLowBattery = undefined;
      lastPerfusion = undefined;
    },
  };
}

export const nonin2Driver: SerialDriver = {
  id: 'serial.nonin-2',
  manufacturer: 'Nonin Medical',
  streaming: true,
  model: 'Pulse oximeter (data format #2, pleth)',
  line: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  createParser: createNonin2Parser,
};
