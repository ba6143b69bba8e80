/**
 * Live value fan-out: what a connected device says (readings, waveform samples, battery, cuff pressure,
 * status) goes to the event bus, and the newest reading is kept per device for the intake card. Only
 * the current connection of a device may speak: callbacks of an older session are ignored.
 */
import type { DeviceReading } from '../../../shared/devices/reading';
import { freshnessWindowMs, type FreshnessPolicy } from '../rules/freshness';
import type { AllowedDevice, DeviceStatus, ReadingSink } from '../types';
import type { LiveDevice, ManagerContext } from './context';

const LOW_BATTERY_PERCENT = 20;
/** Per device; a meter's memory beyond this is older than any visit. */
const MAX_MEMORY_READINGS = 200;
/** Per device: more than the seen-value window (rules/superseded.ts) holds, even at a few values a second. */
const MAX_SUPERSEDED_READINGS = 16;

function memoryKey(r: DeviceReading): string {
  return `${r.measuredAt}|${r.deviceUser ?? ''}|${r.values.map((v) => `${v.kind}=${v.value}`).join(',')}`;
}

export interface LiveValues {
  sinkFor(device: AllowedDevice, state: LiveDevice, session: number): ReadingSink;
  flushWaveform(id: string, state: LiveDevice): void;
}

export function createLiveValues(
  ctx: ManagerContext,
  options: {
    waveformBatchMs: number;
    /** The policy's freshness windows, read for each reading. */
    freshness(): FreshnessPolicy;
    /** A wanted device's link went down: the connection lifecycle takes it from there. */
    wentAway(device: AllowedDevice, state: LiveDevice, status: DeviceStatus): void;
  },
): LiveValues {
  const { events } = ctx;

  function flushWaveform(id: string, state: LiveDevice) {
    const wave = state.wave;
    if (!wave) return;
    if (wave.timer) clearTimeout(wave.timer);
    wave.timer = undefined;
    if (wave.pending.length === 0) return;
    const samples = wave.pending;
    wave.pending = [];
    events.emit('devices.waveform', {
      deviceId: id,
      signal: wave.signal,
      sampleRateHz: wave.sampleRateHz,
      firstSample: wave.nextSample,
      samples,
    });
    wave.nextSample += samples.length;
  }

  function sinkFor(device: AllowedDevice, state: LiveDevice, session: number): ReadingSink {
    const current = () => state.session === session && !ctx.isClosed();
    return {
      reading(reading) {
        if (!current()) return;
        if (reading.origin === 'memory') {
          // A device resends its memory on every connection: each stored reading is listed once.
          const key = memoryKey(reading);
          if (state.memory.some((r) => memoryKey(r) === key)) return;
          state.memory = [...state.memory, reading].slice(-MAX_MEMORY_READINGS);
          events.emit('devices.reading', reading);
          return;
        }
        const windowMs = freshnessWindowMs(reading.cadence ?? 'spot-check', options.freshness());
        const live = {
          ...reading,
          acceptableUntil: new Date(Date.parse(reading.receivedAt) + windowMs).toISOString(),
        };
        if (state.lastReading)
          state.superseded = [
            ...state.superseded,
            { reading: state.lastReading, session: state.lastReadingSession },
          ].slice(-MAX_SUPERSEDED_READINGS);
        state.lastReading = live;
        state.lastReadingSession = session;
        events.emit('devices.reading', live);
      },
      waveform(batch) {
        if (!current()) return;
        if (
          !state.wave ||
          state.wave.signal !== batch.signal ||
          state.wave.sampleRateHz !== batch.sampleRateHz
        ) {
          if (state.wave) flushWaveform(device.id, state);
          state.wave = {
            signal: batch.signal,
            sampleRateHz: batch.sampleRateHz,
            pending: [],
            nextSample: state.wave?.nextSample ?? 0,
            timer: undefined,
          };
        }
        const wave = state.wave;
        for (const sample of batch.samples) wave.pending.push(sample);
        if (!wave.timer) {
          wave.timer = setTimeout(() => flushWaveform(device.id, state), options.waveformBatchMs);
          wave.timer.unref?.();
        }
      },
      status(status) {
        if (!current()) return;
        const down = status.state === 'disconnected' || status.state === 'error';
        if (state.opening && (down || (state.reconnecting && status.state === 'connecting'))) return;
        if (down && state.wanted) {
          options.wentAway(device, state, status);
          return;
        }
        ctx.setStatus(device.id, status);
      },
      battery(percent) {
        if (!current()) return;
        const clamped = Math.max(0, Math.min(100, Math.round(percent)));
        state.battery = { percent: clamped, low: clamped <= LOW_BATTERY_PERCENT };
        ctx.publishStatus(device.id, state);
      },
      cuffPressure(mmHg) {
        if (!current()) return;
        events.emit('devices.cuffPressure', { deviceId: device.id, mmHg });
      },
      batteryLow(low) {
        if (!current()) return;
        if (state.battery?.low === low) return;
        state.battery = { ...(state.battery ?? {}), low };
        ctx.publishStatus(device.id, state);
      },
      clock(clock) {
        if (!current()) return;
        state.clock = clock;
        ctx.publishStatus(device.id, state);
      },
      info(info) {
        if (!current()) return;
        state.info = { ...state.info, ...definedOnly(info) };
      },
      features(words) {
        if (!current()) return;
        state.info = { ...state.info, features: words };
      },
      adjustments(words) {
        if (!current()) return;
        state.info = { ...state.info, adjustments: words };
      },
    };
  }

  return { sinkFor, flushWaveform };
}

function definedOnly<T extends Record<string, string | undefined>>(info: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(info))
    if (value !== undefined) (out as Record<string, string>)[key] = value;
  return out;
}
