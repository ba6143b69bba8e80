/**
 * Connection stage: each measurement characteristic of the driver, turned into readings with
 * provenance; the glucose Measurement Context that follows a record; the cuff pressure while a cuff
 * measures. A stored glucose record is delivered once per device, however often the meter repeats it.
 */
import type { DeviceReading } from '../../../../shared/devices/reading';
import type { Clock } from '../../../platform/clock';
import type { ReadingSink } from '../../types';
import { parseGlucoseMeasurement } from '../profiles/glucose';
import { deviceUserOf } from '../../rules/device-user';
import { judgeDeviceTime } from '../../rules/device-clock';
import type { DeviceTraits } from '../drivers';
import { guarded, hasCharacteristic, type StageContext } from './shared';

/** How long a glucose record waits for the context its flags announce before it goes without it. */
const CONTEXT_WAIT_MS = 1500;

const MAX_REMEMBERED_RECORDS = 10_000;

export interface MeasurementDeps {
  sink: ReadingSink;
  provenance: DeviceReading['provenance'];
  clock: Clock;
  newReadingId: () => string;
  /** Stored records already delivered for this device (kept by the connector across reconnects). */
  delivered: Set<string>;
  /** A stored record not delivered before: its sequence number (the meter reports them in order). */
  onStoredRecord?: (sequenceNumber: number) => void;
  /** When the subscriptions were made: device times older than this are from the device's memory. */
  connectedAt: () => Date;
  /** Device clock minus ours, when read from the device. */
  clockOffsetMs: () => number | undefined;
  /** How far a device's clock may be from ours before its times are not believed (policy). */
  clockToleranceMs: () => number;
  /** Its features and its model's quirks, read at connect: they change how its bytes are read. */
  device?: DeviceTraits;
}

export interface Measurements {
  /** Delivers a record still waiting for its context (transfer over, or link closing). */
  deliverAwaiting(): void;
}

/** Subscribes to every measurement; false when the device refused a subscription. */
export async function subscribeMeasurements(
  ctx: StageContext,
  deps: MeasurementDeps,
): Promise<Measurements | false> {
  const { driver, link, services, logger } = ctx;
  const { sink } = deps;
  const measurements = driver.measurements.filter((m) =>
    hasCharacteristic(services, driver.service, m.characteristic),
  );

  // A record that announced a context waits for it (or for the next record, the end of the transfer,
  // or a short time), so the meal it was taken around goes with it.
  const contextSource =
    driver.context && hasCharacteristic(services, driver.service, driver.context.characteristic)
      ? driver.context
      : undefined;
  let awaitingContext: { sequenceNumber: number; reading: DeviceReading; timer: NodeJS.Timeout } | undefined;
  const deliverAwaiting = (): void => {
    if (!awaitingContext) return;
    clearTimeout(awaitingContext.timer);
    const { reading: held } = awaitingContext;
    awaitingContext = undefined;
    sink.reading(held);
  };

  let reading = false;
  /** A cuff showed its pressure since the last reading: the next one was measured now, not stored. */
  let measuring = false;
  let lastProblem: string | undefined;
  for (const source of measurements) {
    const onValue = guarded(ctx, (bytes: Uint8Array) => {
      const now = deps.clock.now();
      const receivedAt = now.toISOString();
      // A stored record's header, read once: for the repeat check and for the context it may announce.
      const record = source.stored ? parseGlucoseMeasurement(bytes) : undefined;
      if (record?.ok) {
        // Each stored record once, whatever it holds (a refused record is not offered again).
        const t = record.value.baseTime;
        const key = `${record.value.sequenceNumber}@${t.year}-${t.month}-${t.day}T${t.hours}:${t.minutes}:${t.seconds}+${record.value.timeOffset ?? 0}`;
        if (deps.delivered.has(key)) return;
        if (deps.delivered.size >= MAX_REMEMBERED_RECORDS) deps.delivered.clear();
        deps.delivered.add(key);
        deps.onStoredRecord?.(record.value.sequenceNumber);
      }
      const result = source.toValues(bytes, deps.device);
      deliverAwaiting();
      if (!result.ok) {
        const newProblem = result.error.code !== lastProblem;
        if (newProblem) {
          lastProblem = result.error.code;
          logger.warn('devices.ble.measurement_problem', { driver: driver.id, code: result.error.code });
        }
        if (
          (reading || newProblem) &&
          (result.error.code === 'UNSTABLE' || result.error.code === 'SPECIAL_VALUE')
        ) {
          reading = false;
          sink.status({ state: 'connected', detail: result.error.message });
        }
        return;
      }
      lastProblem = undefined;
      if (!reading) {
        reading = true;
        sink.status({ state: 'reading' });
      }
      const time = judgeDeviceTime({
        deviceTime: result.value.measuredAt,
        receivedAt: now,
        connectedAt: deps.connectedAt(),
        stored: source.stored === true,
        knownOffsetMs: deps.clockOffsetMs(),
        toleranceMs: deps.clockToleranceMs(),
        ...(measuring ? { backlogWindowMs: -1 } : {}),
      });
      measuring = false;
      const notes = result.value.notes;
      if (time.note) notes.push(time.note);
      const deviceUser = deviceUserOf(result.value.userId);
      const delivered: DeviceReading = {
        readingId: deps.newReadingId(),
        provenance:
          time.clockOffsetMs === undefined
            ? deps.provenance
            : { ...deps.provenance, clockOffsetMs: time.clockOffsetMs },
        measuredAt: time.measuredAt.toISOString(),
        receivedAt,
        values: result.value.values,
        notes,
        origin: time.origin,
        cadence: source.streaming ? 'streaming' : 'spot-check',
        ...(deviceUser !== undefined ? { deviceUser } : {}),
      };
      if (contextSource && record?.ok && record.value.contextFollows) {
        const timer = setTimeout(deliverAwaiting, CONTEXT_WAIT_MS);
        timer.unref?.();
        awaitingContext = { sequenceNumber: record.value.sequenceNumber, reading: delivered, timer };
        return;
      }
      sink.reading(delivered);
    });
    try {
      ctx.unsubscribes.push(await link.subscribe(driver.service, source.characteristic, onValue));
    } catch {
      return false;
    }
  }

  if (contextSource) {
    const onContext = guarded(ctx, (bytes: Uint8Array) => {
      const context = contextSource.toNotes(bytes);
      if (!context.ok) {
        logger.warn('devices.ble.context_problem', { driver: driver.id, code: context.error.code });
        return;
      }
      if (awaitingContext?.sequenceNumber !== context.value.sequenceNumber) return;
      awaitingContext.reading.notes.push(...context.value.notes);
      deliverAwaiting();
    });
    try {
      ctx.unsubscribes.push(await link.subscribe(driver.service, contextSource.characteristic, onContext));
    } catch {
      // Readings still arrive, without their meal context.
      logger.warn('devices.ble.context_unavailable', { driver: driver.id });
    }
  }

  const cuff = driver.cuffPressure;
  if (cuff && hasCharacteristic(services, driver.service, cuff.characteristic)) {
    const onCuff = guarded(ctx, (bytes: Uint8Array) => {
      const pressure = cuff.toMmHg(bytes);
      if (!pressure.ok) return;
      measuring = true;
      sink.cuffPressure?.(pressure.value);
    });
    try {
      ctx.unsubscribes.push(await link.subscribe(driver.service, cuff.characteristic, onCuff));
    } catch {
      // Progress only: the cuff's readings still arrive without it.
      logger.warn('devices.ble.cuff_pressure_unavailable', { driver: driver.id });
    }
  }

  return { deliverAwaiting };
}
