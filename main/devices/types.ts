/**
 * What the device manager needs from a transport (serial or BLE). A connector opens one allowed
 * device and pushes what it hears into a sink; the manager owns status, reconnection and fan-out.
 */
import type { DeviceReading, Transport, WaveformBatch } from '../../shared/devices/reading';

export type DeviceStatus =
  | { state: 'disconnected' }
  | { state: 'connecting' }
  /** `detail`: why a connected device gives no value, in the nurse's words ("sensor off the finger"). */
  | { state: 'connected'; detail?: string }
  | { state: 'reading' }
  /** Wanted but not there: retried with backoff until it is back or the nurse disconnects it. */
  | { state: 'waiting'; reason: string; nextAttemptAt?: string }
  | { state: 'error'; reason: string };

/** A device the clinic allows at this workstation (paired by a nurse or admin). */
export interface AllowedDevice {
  id: string;
  name: string;
  transport: Transport;
  /** Driver id, e.g. `ble.blood-pressure`, `serial.nonin-8`, `serial.and-scale`. */
  driver: string;
  /** BLE: peripheral address/id. Serial: port path, or USB vendor:product to find it. */
  address?: string;
  usbVendorId?: string;
  usbProductId?: string;
}

export interface ReadingSink {
  reading(reading: DeviceReading): void;
  waveform(batch: WaveformBatch): void;
  status(status: DeviceStatus): void;
  battery(percent: number): void;
  /** A blood-pressure cuff's pressure while it measures, in mmHg: progress, not a reading. */
  cuffPressure?(mmHg: number): void;
  /** Devices that report only a low-battery flag (Nonin serial formats) rather than a percentage. */
  batteryLow?(low: boolean): void;
  /** The device's own clock, where it exposes one: whether it can be set, and how far off it is (ms). */
  clock?(clock: { writable: boolean; offsetMs?: number | undefined }): void;
  /** What the device says it can do (its Feature characteristic), in words for the device details. */
  features?(words: string[]): void;
  /** How this model's known deviations from the specification are undone, in words for the device details. */
  adjustments?(words: string[]): void;
  /** Device Information (manufacturer, model, serial, firmware) as soon as it is read. */
  info(info: { manufacturer?: string; model?: string; serial?: string; firmware?: string }): void;
}

export interface DeviceConnection {
  close(): Promise<void>;
  /** Sets the device's clock to the workstation's, where the device allows it. */
  setClock?(): Promise<void>;
}

export interface DeviceConnector {
  readonly transport: Transport;
  /** Opens the device and streams into the sink until closed or the device goes away (then status 'disconnected' or 'error'). */
  connect(device: AllowedDevice, sink: ReadingSink): Promise<DeviceConnection>;
}

/**
 * Where the clinic's allowed devices are kept (the encrypted DB in the app; memory in protocol tests).
 * The device manager reads and writes pairings only through this.
 */
export interface AllowedDeviceStore {
  list(): AllowedDevice[];
  save(device: AllowedDevice): void;
  remove(id: string): void;
}
