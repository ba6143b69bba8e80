/**
 * A serial device driver: the line settings the device uses and a streaming frame parser.
 * The parser is pure (no I/O): bytes in, typed outputs out. It never throws, and it resynchronises
 * on the format's own framing after garbage, a dropped byte or a cable pulled mid-frame.
 */
import type { ReadingValue, SignalQuality } from '../../../../shared/devices/reading';
import type { ParseError } from '../../parse-result';

/** Line settings come from the driver, never guessed from the bytes (DOMAIN.md, serial devices). */
export interface SerialLineSettings {
  readonly baudRate: number;
  readonly dataBits: 7 | 8;
  readonly parity: 'none' | 'even' | 'odd';
  readonly stopBits: 1 | 2;
}

export type DriverOutput =
  /** A measurement, in canonical UCUM units, every value inside the plausible range. */
  | {
      readonly type: 'measurement';
      readonly values: ReadingValue[];
      readonly notes: string[];
      /** Oximeters: the signal quality the device reported with these values, when it did. */
      readonly signalQuality?: SignalQuality;
    }
  /** Waveform samples in arrival order. */
  | {
      readonly type: 'waveform';
      readonly signal: 'pleth';
      readonly sampleRateHz: number;
      readonly samples: number[];
    }
  /** The device's own battery report. `percent` when the device gives one; else only low / not low. */
  | { readonly type: 'battery'; readonly low: boolean; readonly percent?: number }
  /** A frame that did not give a reading, and why (sensor off, unstable, garbage...). */
  | { readonly type: 'problem'; readonly error: ParseError };

export type DriverOutputSink = (output: DriverOutput) => void;

export interface FrameParser {
  /** Feeds bytes as they arrive (any chunking); calls `emit` for each complete frame's outputs. */
  push(bytes: Uint8Array, emit: DriverOutputSink): void;
  /** Forgets a partial frame (after the port closes, so a replugged device starts clean). */
  reset(): void;
}

export interface SerialDriver {
  /** Driver id as stored with an allowed device, e.g. `serial.nonin-8`. */
  readonly id: string;
  readonly manufacturer: string;
  readonly model: string;
  /** A device that sends a value every second or so (oximeters): its values go stale sooner. */
  readonly streaming?: boolean;
  readonly line: SerialLineSettings;
  createParser(): FrameParser;
}
