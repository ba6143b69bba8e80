/**
 * A device that is not there right now (unplugged, its port gone, switched off) rather than one that
 * can never be opened here (unsupported, refused by the port check): the manager keeps waiting for it,
 * retrying with backoff, instead of giving up after one try.
 */
import { AppError } from '../../shared/ipc/errors';

export class DeviceAbsentError extends AppError {
  constructor(message: string) {
    super('DEVICE', message);
  }
}

export const DEVICE_ABSENT_MESSAGES = {
  cannotOpen: 'The device could not be opened. It may be unplugged, or in use by another program.',
  notPluggedIn: 'The device is not plugged in. Check its USB cable.',
  disconnected: 'The device was disconnected.',
} as const;
