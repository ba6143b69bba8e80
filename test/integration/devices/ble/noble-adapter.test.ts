/**
 * The noble adapter on this machine: a real load of @abandonware/noble (no mock). There is no
 * Bluetooth stack here, so noble's socket cannot open; the adapter must say "Bluetooth unavailable"
 * and refuse scans and connections with that reason, without crashing the process.
 */
import { describe, expect, it } from 'vitest';
import { bleConnector } from '../../../../main/devices/ble/connector';
import { createNobleAdapter, statusFor } from '../../../../main/devices/ble/noble-adapter';
import { createBleScanner } from '../../../../main/devices/ble/scanner';
import { memoryLogger } from '../../../../main/logging/logger';
import { systemClock } from '../../../../main/platform/clock';
import { recordingSink } from './sink';

const hasRadio = process.env.VITALS_TEST_BLUETOOTH === '1';

describe('noble adapter', () => {
  it.skipIf(hasRadio)(
    'reports unsupported / "Bluetooth unavailable" where noble cannot open a socket',
    async () => {
      const logger = memoryLogger();
      const adapter = await createNobleAdapter({ logger, poweredOnTimeoutMs: 500 });
      expect(adapter.status()).toEqual({ state: 'unsupported', reason: 'Bluetooth unavailable' });
      expect(logger.records.some((r) => r.event === 'devices.ble.unavailable')).toBe(true);
      await expect(adapter.startScan([], () => undefined)).rejects.toThrow('Bluetooth unavailable');
      await expect(adapter.connect('00:11:22:33:44:55')).rejects.toThrow('Bluetooth unavailable');

      const scanner = createBleScanner(adapter);
      await expect(scanner.scan({ durationMs: 10 })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: 'Bluetooth unavailable',
      });

      const connector = bleConnector({
        adapter: () => createNobleAdapter({ logger }),
        clock: systemClock,
        logger,
      });
      const sink = recordingSink();
      await expect(
        connector.connect(
          {
            id: 'd1',
            name: 'Cuff',
            transport: 'ble',
            driver: 'ble.blood-pressure',
            address: '00:11:22:33:44:55',
          },
          sink,
        ),
      ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(sink.statuses).toEqual([{ state: 'error', reason: 'Bluetooth unavailable' }]);
    },
  );

  it('a module that is not noble is treated as no Bluetooth, not a crash', async () => {
    const adapter = await createNobleAdapter({ load: async () => ({ default: 42 }) });
    expect(adapter.status().state).toBe('unsupported');
  });

  it("maps noble's stateChange values to adapter states with reasons", () => {
    expect(statusFor('poweredOn')).toEqual({ state: 'poweredOn' });
    expect(statusFor('poweredOff')).toEqual({
      state: 'poweredOff',
      reason: 'Bluetooth is switched off on this computer.',
    });
    expect(statusFor('unauthorized').reason).toMatch(/not allowed/);
    expect(statusFor('unsupported')).toEqual({ state: 'unsupported', reason: 'Bluetooth unavailable' });
    expect(statusFor('something-new')).toEqual({ state: 'unknown' });
  });
});
