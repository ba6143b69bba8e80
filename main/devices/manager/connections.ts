/**
 * The connection lifecycle of each device: connect on the nurse's request, say so when the device goes
 * away, wait for it (status "waiting") with exponential backoff, capped, while it is still wanted —
 * also when it was not there at the first try — and disconnect cleanly.
 */
import { AppError } from '../../../shared/ipc/errors';
import { DEVICE_ABSENT_MESSAGES, DeviceAbsentError } from '../device-absent';
import type { AllowedDevice, DeviceConnector, DeviceStatus } from '../types';
import type { LiveDevice, ManagerContext } from './context';
import type { LiveValues } from './live-values';

export interface Connections {
  /** Opens a device the nurse wants connected; throws the reason it could not be. */
  connect(device: AllowedDevice): Promise<void>;
  disconnect(device: AllowedDevice): Promise<void>;
  wentAway(device: AllowedDevice, state: LiveDevice, status: DeviceStatus): void;
}

export function createConnections(
  ctx: ManagerContext,
  options: {
    connectorFor(device: AllowedDevice): DeviceConnector;
    backoff: { initialMs: number; maxMs: number };
    /** Set after construction: the fan-out needs the lifecycle and the lifecycle needs the fan-out. */
    liveValues(): LiveValues;
  },
): Connections {
  const { logger } = ctx;
  const { backoff } = options;

  function wentAway(device: AllowedDevice, state: LiveDevice, status: DeviceStatus) {
    options.liveValues().flushWaveform(device.id, state);
    state.connection = undefined;
    state.session++;
    logger.info('devices.went_away', { transport: device.transport, driver: device.driver });
    waitFor(device, state, status.state === 'error' ? status.reason : DEVICE_ABSENT_MESSAGES.disconnected);
  }

  /** The device is wanted but not there: say so, and try again after the next backoff delay. */
  function waitFor(device: AllowedDevice, state: LiveDevice, reason: string) {
    state.reconnecting = true;
    const delay = scheduleReconnect(device.id);
    ctx.setStatus(device.id, {
      state: 'waiting',
      reason,
      ...(delay !== undefined ? { nextAttemptAt: new Date(Date.now() + delay).toISOString() } : {}),
    });
  }

  /** Arms the next attempt; returns its delay, or undefined when none was armed (one already is, or not wanted). */
  function scheduleReconnect(id: string): number | undefined {
    const state = ctx.liveOf(id);
    if (!state.wanted || ctx.isClosed() || state.reconnectTimer) return undefined;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(state.attempt, 30));
    state.attempt++;
    state.reconnectTimer = setTimeout(() => {
      state.reconnectTimer = undefined;
      const device = ctx.store.list().find((d) => d.id === id);
      if (!device || !state.wanted || ctx.isClosed()) return;
      void open(device, state).catch((error: unknown) => {
        if (!state.wanted || ctx.isClosed()) return;
        // Still not there: show the latest reason the nurse can act on (unplugged, in use), wait longer.
        const previous =
          state.status.state === 'waiting' ? state.status.reason : DEVICE_ABSENT_MESSAGES.disconnected;
        waitFor(device, state, error instanceof AppError ? error.message : previous);
        // Expected while away (not found, did not answer): only an unexpected failure is logged.
        if (!(error instanceof AppError))
          logger.warn('devices.reconnect_failed', {
            transport: device.transport,
            driver: device.driver,
            error: error instanceof Error ? error.name : 'unknown',
          });
      });
    }, delay);
    state.reconnectTimer.unref?.();
    return delay;
  }

  async function open(device: AllowedDevice, state: LiveDevice): Promise<void> {
    const session = ++state.session;
    state.opening = true;
    let connection;
    try {
      connection = await options
        .connectorFor(device)
        .connect(device, options.liveValues().sinkFor(device, state, session));
    } finally {
      state.opening = false;
    }
    if (state.session !== session || !state.wanted || ctx.isClosed()) {
      // Disconnected (or unpaired) while opening: do not leave the port open.
      await connection.close();
      return;
    }
    state.connection = connection;
    state.attempt = 0;
    if (state.reconnecting) {
      state.reconnecting = false;
      // The connector said "connected" while the manager still showed "waiting": say it now.
      if (state.status.state === 'waiting') ctx.setStatus(device.id, { state: 'connected' });
    }
    logger.info('devices.connected', { transport: device.transport, driver: device.driver });
  }

  async function connect(device: AllowedDevice): Promise<void> {
    const id = device.id;
    const state = ctx.liveOf(id);
    if (state.wanted && (state.connection || state.reconnectTimer)) return;
    state.wanted = true;
    state.attempt = 0;
    ctx.setStatus(id, { state: 'connecting' });
    try {
      await open(device, state);
    } catch (error) {
      if (error instanceof DeviceAbsentError && state.wanted && !ctx.isClosed()) {
        // Not there yet (unplugged, port not created): wait for it rather than give up after one try.
        logger.info('devices.waiting', { transport: device.transport, driver: device.driver });
        waitFor(device, state, error.message);
        return;
      }
      state.wanted = false;
      state.session++;
      const message =
        error instanceof AppError ? error.message : 'The device could not be connected. Please try again.';
      if (!(error instanceof AppError)) {
        logger.error('devices.connect_failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
      ctx.setStatus(id, { state: 'error', reason: message });
      throw error instanceof AppError ? error : new AppError('DEVICE', message);
    }
  }

  async function disconnect(device: AllowedDevice): Promise<void> {
    const state = ctx.liveOf(device.id);
    state.wanted = false;
    state.reconnecting = false;
    state.session++;
    if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
    state.reconnectTimer = undefined;
    options.liveValues().flushWaveform(device.id, state);
    const connection = state.connection;
    state.connection = undefined;
    if (connection) {
      try {
        await connection.close();
      } catch (error) {
        logger.warn('devices.close_failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    if (state.status.state !== 'disconnected') ctx.setStatus(device.id, { state: 'disconnected' });
  }

  return { connect, disconnect, wentAway };
}
