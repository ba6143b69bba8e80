/** A ReadingSink that records everything and lets a test wait for what it expects. */
import type { DeviceReading, WaveformBatch } from '../../../../shared/devices/reading';
import type { DeviceStatus, ReadingSink } from '../../../../main/devices/types';
import { radioIdle } from '../../../sim/ble/simulated-adapter';
import { until } from '../../../support/until';

export interface RecordingSink extends ReadingSink {
  readings: DeviceReading[];
  statuses: DeviceStatus[];
  batteries: number[];
  infos: { manufacturer?: string; model?: string; serial?: string; firmware?: string }[];
  waveforms: WaveformBatch[];
  cuffPressures: number[];
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

export function recordingSink(): RecordingSink {
  const sink: RecordingSink = {
    readings: [],
    statuses: [],
    batteries: [],
    infos: [],
    waveforms: [],
    cuffPressures: [],
    reading: (r) => void sink.readings.push(r),
    waveform: (w) => void sink.waveforms.push(w),
    status: (s) => void sink.statuses.push(s),
    battery: (p) => void sink.batteries.push(p),
    info: (i) => void sink.infos.push(i),
    cuffPressure: (mmHg) => void sink.cuffPressures.push(mmHg),
    waitFor: (predicate, what, timeoutMs = 10_000) => until(predicate, what, timeoutMs),
  };
  return sink;
}

/** Lets every pending simulated radio delivery run, and what it sets off, however long that takes. */
export function settle(): Promise<void> {
  return radioIdle();
}
