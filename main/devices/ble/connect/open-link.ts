/** Connection stage: a usable radio, then a link to the peripheral; each failure said to the nurse. */
import { AppError } from '../../../../shared/ipc/errors';
import type { Logger } from '../../../logging/logger';
import type { ReadingSink } from '../../types';
import { BLUETOOTH_UNAVAILABLE, type BleAdapter, type BlePeripheralLink } from '../adapter';

const NOT_USABLE: Record<string, string> = {
  unsupported: BLUETOOTH_UNAVAILABLE,
  unauthorized: 'This app is not allowed to use Bluetooth. Ask IT to allow it.',
  poweredOff: 'Bluetooth is switched off on this computer.',
};

export async function openLink(options: {
  getAdapter: () => Promise<BleAdapter>;
  address: string;
  driverId: string;
  timeoutMs: number;
  sink: ReadingSink;
  logger: Logger;
}): Promise<BlePeripheralLink> {
  const { sink, logger } = options;
  let adapter: BleAdapter;
  try {
    adapter = await options.getAdapter();
  } catch (error) {
    logger.warn('devices.ble.adapter_failed', { error: error instanceof Error ? error.name : 'unknown' });
    sink.status({ state: 'error', reason: BLUETOOTH_UNAVAILABLE });
    throw new AppError('UNAVAILABLE', BLUETOOTH_UNAVAILABLE);
  }
  const state = adapter.status();
  const refusal = NOT_USABLE[state.state];
  if (refusal) {
    const reason = state.reason ?? refusal;
    sink.status({ state: 'error', reason });
    throw new AppError('UNAVAILABLE', reason);
  }

  sink.status({ state: 'connecting' });
  try {
    return await adapter.connect(options.address, { timeoutMs: options.timeoutMs });
  } catch (error) {
    logger.warn('devices.ble.connect_failed', {
      driver: options.driverId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    const reason = 'The device did not answer. Check that it is switched on and near this computer.';
    sink.status({ state: 'error', reason });
    throw new AppError('DEVICE', reason);
  }
}
