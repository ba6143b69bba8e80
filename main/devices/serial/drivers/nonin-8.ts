/**
 * Nonin pulse oximeter, serial data format #8: one 4-byte record per second, 9600 baud 8N1.
 *
 * Layout (Nonin, "Data Format #8" in the Onyx II 9560 / OEM III Specification and Technical Information):
 *   byte 1 STATUS   bit7 = 1 (record sync), bit6 SNSD sensor disconnected, bit5 OOT out of track,
 *                   bit4 LPRF low perfusion, bit3 MPRF marginal perfusion, bit2 ARTF artifact,
 *                   bits1..0 = heart rate bits 8..7
 *   byte 2 HR LSB   bit7 = 0, bits6..0 = heart rate bits 6..0
 *   byte 3 SpO2     bit7 = 0, SpO2 in % (127 = missing)
 *   byte 4 STATUS2  bit7 = 0, bit5 SPA (SmartPoint), bit3 SNSA sensor alarm, bit0 low battery
 * Heart rate 511 means missing. Only byte 1 has bit 7 set, which is how the parser finds record boundaries.
 */
import { measurementOf } from './measurement';
import { signalQualityOf, type Perfusion } from './signal-quality';
import type { DriverOutputSink, FrameParser, SerialDriver } from './types';

const RECORD_LENGTH = 4;
const MISSING_HEART_RATE = 511;
const MISSING_SPO2 = 127;

export interface Nonin8Record {
  sensorDisconnected: boolean;
  outOfTrack: boolean;
  lowPerfusion: boolean;
  marginalPerfusion: boolean;
  artifact: boolean;
  heartRate: number;
  spo2: number;
  smartPoint: boolean;
  sensorAlarm: boolean;
  lowBattery: boolean;
}

/** Decodes one aligned record. Pure; the caller has checked the sync bits. */
export function decodeNonin8(b1: number, b2: number, b3: number, b4: number): Nonin8Record {
  return {
    sensorDisconnected: (b1 & 0x40) !== 0,
    outOfTrack: (b1 & 0x20) !== 0,
    lowPerfusion: (b1 & 0x10) !== 0,
    marginalPerfusion: (b1 & 0x08) !== 0,
    artifact: (b1 & 0x04) !== 0,
    heartRate: ((b1 & 0x03) << 7) | (b2 & 0x7f),
    spo2: b3 & 0x7f,
    smartPoint: (b4 & 0x20) !== 0,
    sensorAlarm: (b4 & 0x08) !== 0,
    lowBattery: (b4 & 0x01) !== 0,
  };
}

/** Encodes a record: used by the simulator and the tests, kept beside the decoder so both follow one layout. */
export function encodeNonin8(
  record: Partial<Nonin8Record> & { heartRate: number; spo2: number },
): Uint8Array {
  const hr = record.heartRate & 0x1ff;
  const b1 =
    0x80 |
    (record.sensorDisconnected ? 0x40 : 0) |
    (record.outOfTrack ? 0x20 : 0) |
    (record.lowPerfusion ? 0x10 : 0) |
    (record.marginalPerfusion ? 0x08 : 0) |
    (record.artifact ? 0x04 : 0) |
    (hr >> 7);
  const b4 =
    (record.smartPoint ? 0x20 : 0) | (record.sensorAlarm ? 0x08 : 0) | (record.lowBattery ? 0x01 : 0);
  return Uint8Array.of(b1, hr & 0x7f, record.spo2 & 0x7f, b4);
}

/** Format #8 flags only low and marginal perfusion: while it tracks a pulse without either, the signal is good. */
function format8Perfusion(record: Nonin8Record): Perfusion {
  if (record.lowPerfusion) return 'red';
  return record.marginalPerfusion ? 'yellow' : 'green';
}

/**
 * One record's outputs. `signal.perfusion` is the colour formats #2 and #7 reported (undefined when no
 * pulse was coloured yet); format #8 leaves it out and its own flags are used.
 */
export function recordToOutputs(
  record: Nonin8Record,
  emit: DriverOutputSink,
  signal: { perfusion: Perfusion | undefined } = { perfusion: format8Perfusion(record) },
): void {
  if (record.sensorDisconnected || record.sensorAlarm) {
    emit({
      type: 'problem',
      error: { code: 'SPECIAL_VALUE', message: 'The oximeter sensor is off the finger or not connected.' },
    });
    return;
  }
  if (record.outOfTrack) {
    emit({
      type: 'problem',
      error: { code: 'UNSTABLE', message: 'The oximeter has lost the pulse signal; keep the finger still.' },
    });
    return;
  }
  if (record.heartRate === MISSING_HEART_RATE || record.spo2 === MISSING_SPO2) {
    emit({
      type: 'problem',
      error: { code: 'SPECIAL_VALUE', message: 'The oximeter has no value yet; wait for a steady pulse.' },
    });
    return;
  }
  const notes: string[] = [];
  if (record.lowPerfusion) notes.push('low perfusion');
  else if (record.marginalPerfusion) notes.push('marginal perfusion');
  if (record.artifact) notes.push('artifact detected');
  emit(
    measurementOf(
      [
        ['heartRate', record.heartRate],
        ['spo2', record.spo2],
      ],
      notes,
      signalQualityOf({ perfusion: signal.perfusion, artifact: record.artifact, outOfTrack: false }),
    ),
  );
}

export function createNonin8Parser(): FrameParser {
  const frame = new Uint8Array(RECORD_LENGTH);
  let filled = 0;
  let garbage = 0;
  let lastLowBattery: boolean | undefined;

  const flushGarbage = (emit: DriverOutputSink) => {
    if (garbage === 0) return;
    garbage = 0;
    emit({
      type: 'problem',
      error: {
        code: 'GARBAGE',
        message: 'The oximeter sent bytes that are not in its data format; skipped.',
      },
    });
  };

  return {
    push(bytes, emit) {
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i]!;
        const sync = (byte & 0x80) !== 0;
        if (filled === 0) {
          if (!sync) {
            garbage++;
            continue;
          }
          flushGarbage(emit);
          frame[filled++] = byte;
          continue;
        }
        if (sync) {
          // A new record began before this one ended: a byte was lost. Start over at this byte.
          emit({
            type: 'problem',
            error: { code: 'TRUNCATED', message: 'An oximeter record was cut short; skipped.' },
          });
          filled = 0;
          frame[filled++] = byte;
          continue;
        }
        frame[filled++] = byte;
        if (filled === RECORD_LENGTH) {
          filled = 0;
          const record = decodeNonin8(frame[0]!, frame[1]!, frame[2]!, frame[3]!);
          if (record.lowBattery !== lastLowBattery) {
            lastLowBattery = record.lowBattery;
            emit({ type: 'battery', low: record.lowBattery });
          }
          recordToOutputs(record, emit);
        }
      }
      flushGarbage(emit);
    },
    reset() {
      filled = 0;
      garbage = 0;
      lastLowBattery = undefined;
    },
  };
}

export const nonin8Driver: SerialDriver = {
  id: 'serial.nonin-8',
  manufacturer: 'Nonin Medical',
  streaming: true,
  model: 'Pulse oximeter (data format #8)',
  line: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
  createParser: createNonin8Parser,
};
