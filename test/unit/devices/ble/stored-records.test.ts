/**
 * Fetching a glucose meter's stored records through the Record Access Control Point (Glucose Profile
 * 1.0.1 §4.11). The meter is a stand-in written here because no Bluetooth radio exists in this test:
 * it keeps records by sequence number and answers "number of stored records ≥ N" and "report stored
 * records" (all, or ≥ N) the way the profile describes, or refuses to count like a simpler meter.
 */
import { describe, expect, it } from 'vitest';
import type { BlePeripheralLink } from '../../../../main/devices/ble/adapter';
import { fetchStoredRecords } from '../../../../main/devices/ble/connect/stored-records';
import { bleDriverFor } from '../../../../main/devices/ble/drivers';
import { memoryLogger } from '../../../../main/logging/logger';

const SERVICE = '1808';
const RACP = '2a52';

function fakeMeter(sequences: number[], options: { canCount?: boolean; answer?: Uint8Array } = {}) {
  const writes: number[][] = [];
  const sentRecords: number[] = [];
  let listener: ((value: Uint8Array) => void) | undefined;
  const indicate = (bytes: Uint8Array) => queueMicrotask(() => listener?.(bytes));
  const selected = (data: Uint8Array) =>
    data[1] === 0x01 ? sequences : sequences.filter((s) => s >= (data[3]! | (data[4]! << 8)));
  const link: BlePeripheralLink = {
    address: 'AA:BB:CC:DD:EE:FF',
    discover: () => Promise.resolve([]),
    read: () => Promise.resolve(new Uint8Array()),
    onDisconnect: () => undefined,
    disconnect: () => Promise.resolve(),
    subscribe: (_service, _characteristic, l) => {
      listener = l;
      return Promise.resolve(() => Promise.resolve());
    },
    write: (_service, _characteristic, data) => {
      writes.push([...data]);
      if (options.answer) indicate(options.answer);
      else if (data[0] === 0x04) {
        if (options.canCount === false) indicate(Uint8Array.of(0x06, 0x00, 0x04, 0x02));
        else indicate(Uint8Array.of(0x05, 0x00, selected(data).length, 0x00));
      } else if (data[0] === 0x01) {
        const records = selected(data);
        sentRecords.push(...records);
        indicate(Uint8Array.of(0x06, 0x00, 0x01, records.length > 0 ? 0x01 : 0x06));
      }
      return Promise.resolve();
    },
  };
  return { link, writes, sentRecords };
}

async function fetchFrom(meter: ReturnType<typeof fakeMeter>, lastSequence?: number) {
  const logger = memoryLogger();
  let ended = 0;
  await fetchStoredRecords(
    {
      link: meter.link,
      services: [{ uuid: SERVICE, characteristics: [{ uuid: RACP, properties: ['write', 'indicate'] }] }],
      driver: bleDriverFor('ble.glucose')!,
      logger,
      unsubscribes: [],
    },
    () => (ended += 1),
    lastSequence,
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  return { logger, ended: () => ended };
}

describe('stored glucose records', () => {
  it('the first visit asks for every record', async () => {
    const meter = fakeMeter([1, 2, 3]);
    const { ended } = await fetchFrom(meter);
    expect(meter.writes).toEqual([[0x01, 0x01]]);
    expect(meter.sentRecords).toEqual([1, 2, 3]);
    expect(ended()).toBe(1);
  });

  it('a later visit asks only for the records after the last one kept', async () => {
    const meter = fakeMeter([1, 2, 3, 4, 5]);
    const { ended } = await fetchFrom(meter, 3);
    expect(meter.writes).toEqual([
      [0x04, 0x03, 0x01, 0x03, 0x00], // how many from sequence 3 on?
      [0x01, 0x03, 0x01, 0x04, 0x00], // report from sequence 4 on
    ]);
    expect(meter.sentRecords).toEqual([4, 5]);
    expect(ended()).toBe(1);
  });

  it('a meter whose memory was cleared (it no longer holds the last one) is asked for everything', async () => {
    const meter = fakeMeter([1, 2]);
    await fetchFrom(meter, 3);
    expect(meter.writes.at(-1)).toEqual([0x01, 0x01]);
    expect(meter.sentRecords).toEqual([1, 2]);
  });

  it('a meter that cannot count is asked for everything', async () => {
    const meter = fakeMeter([1, 2, 3, 4], { canCount: false });
    const { ended } = await fetchFrom(meter, 2);
    expect(meter.writes.at(-1)).toEqual([0x01, 0x01]);
    expect(meter.sentRecords).toEqual([1, 2, 3, 4]);
    expect(ended()).toBe(1);
  });

  it('never deletes the meter’s records, whatever it answers', async () => {
    for (const last of [undefined, 0, 2, 9])
      for (const canCount of [true, false]) {
        const meter = fakeMeter([1, 2, 3], { canCount });
        await fetchFrom(meter, last);
        expect(meter.writes.every((w) => w[0] !== 0x02)).toBe(true);
      }
  });

  it('a malformed answer (a 3-byte count) is refused and logged, not acted on', async () => {
    const meter = fakeMeter([1, 2, 3], { answer: Uint8Array.of(0x05, 0x00, 0x03, 0x02, 0x01) });
    const { logger, ended } = await fetchFrom(meter, 1);
    expect(meter.writes).toHaveLength(1);
    expect(ended()).toBe(0);
    expect(logger.records.some((r) => r.event === 'devices.ble.racp_problem')).toBe(true);
  });
});
