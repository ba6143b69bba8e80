import { describe, expect, it } from 'vitest';
import { createPortLister, normaliseUsbId } from '../../../../main/devices/serial/port-lister';
import { memoryLogger } from '../../../../main/logging/logger';

describe('serial port lister', () => {
  it('lists ports with normalised USB ids, sorted by path', async () => {
    const lister = createPortLister({
      list: async () => [
        {
          path: '/dev/ttyUSB1',
          vendorId: '0403',
          productId: '6001',
          manufacturer: 'FTDI',
          serialNumber: 'A1',
        },
        { path: '/dev/ttyACM0', vendorId: '0x2341', productId: '43' },
        { path: '/dev/ttyS0' },
      ],
    });
    expect(await lister.list()).toEqual({
      complete: true,
      ports: [
        { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043' },
        { path: '/dev/ttyS0' },
        {
          path: '/dev/ttyUSB1',
          vendorId: '0403',
          productId: '6001',
          manufacturer: 'FTDI',
          serialNumber: 'A1',
        },
      ],
    });
  });

  it('falls back to port names, and says so, when the full listing fails (no udevadm)', async () => {
    const logger = memoryLogger();
    const lister = createPortLister({
      list: () => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { name: 'Error' })),
      readDeviceDir: async () => ['tty0', 'ttyUSB0', 'null', 'ttyACM1', 'ttyS4', 'ttyUSBfoo'],
      logger,
    });
    const listing = await lister.list();
    expect(listing.complete).toBe(false);
    expect(listing.note).toMatch(/only port names/);
    expect(listing.ports).toEqual([
      { path: '/dev/ttyACM1' },
      { path: '/dev/ttyS4' },
      { path: '/dev/ttyUSB0' },
    ]);
    expect(logger.records.map((r) => r.event)).toEqual(['devices.serial.list_failed']);
  });

  it('answers with an empty, incomplete listing when even the device directory cannot be read', async () => {
    const lister = createPortLister({
      list: () => Promise.reject(new Error('no')),
      readDeviceDir: () => Promise.reject(new Error('EACCES')),
    });
    expect(await lister.list()).toMatchObject({ ports: [], complete: false });
  });

  it('normalises USB ids to four lowercase hex digits, refusing what is not one', () => {
    expect(normaliseUsbId('0x10C4')).toBe('10c4');
    expect(normaliseUsbId('ea60')).toBe('ea60');
    expect(normaliseUsbId('1')).toBe('0001');
    expect(normaliseUsbId('xyz')).toBeUndefined();
    expect(normaliseUsbId('123456')).toBeUndefined();
    expect(normaliseUsbId(undefined)).toBeUndefined();
  });
});
