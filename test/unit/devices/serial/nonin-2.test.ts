import { describe, expect, it } from 'vitest';
import {
  createNonin2Parser,
  encodeNonin2Frame,
  encodeNonin2Packet,
} from '../../../../main/devices/serial/drivers/nonin-2';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { feed } from './collect';

const pleth = Array.from({ length: 25 }, (_, i) => 100 + i);
const samplesOf = (out: DriverOutput[]) => out.flatMap((o) => (o.type === 'waveform' ? o.samples : []));
const measurements = (out: DriverOutput[]) => out.filter((o) => o.type === 'measurement');

describe('Nonin format #2 parser', () => {
  it('builds frames with the start byte, status bit 7 and the additive checksum', () => {
    // 0x01 + 0x81 + 0x49 + 0x00 = 0xCB
    expect([...encodeNonin2Frame({ status: 0x01, pleth: 0x49, value: 0x00 })]).toEqual([
      0x01, 0x81, 0x49, 0x00, 0xcb,
    ]);
  });

  it('emits every pleth sample and one HR/SpO2 reading per 25-frame packet', () => {
    const packet = encodeNonin2Packet({ heartRate: 260, spo2: 93, pleth });
    const out = feed(createNonin2Parser(), packet, packet);
    expect(samplesOf(out)).toEqual([...pleth, ...pleth]);
    expect(out.find((o) => o.type === 'waveform')).toMatchObject({ signal: 'pleth', sampleRateHz: 75 });
    expect(measurements(out)).toEqual([
      {
        type: 'measurement',
        values: [
          { kind: 'heartRate', value: 260, unit: '/min' },
          { kind: 'spo2', value: 93, unit: '%' },
        ],
        notes: [],
        signalQuality: 'good',
      },
      expect.objectContaining({ type: 'measurement' }),
    ]);
  });

  it('gives no reading for a packet that starts mid-way (no SYNC frame seen yet)', () => {
    const packet = encodeNonin2Packet({ heartRate: 80, spo2: 97, pleth });
    const out = feed(createNonin2Parser(), packet.subarray(5 * 10));
    expect(measurements(out)).toEqual([]);
    expect(samplesOf(out)).toHaveLength(15);
  });

  it('skips a frame with a bad checksum, drops that packet reading, and recovers on the next packet', () => {
    const a = encodeNonin2Packet({ heartRate: 80, spo2: 97, pleth });
    a[5 * 4 + 4] = a[5 * 4 + 4]! ^ 0xff; // corrupt checksum of frame 5
    const b = encodeNonin2Packet({ heartRate: 81, spo2: 96, pleth });
    const out = feed(createNonin2Parser(), a, b);
    expect(out.some((o) => o.type === 'problem' && o.error.code === 'GARBAGE')).toBe(true);
    expect(measurements(out)).toHaveLength(1);
    expect(measurements(out)[0]).toMatchObject({ values: [{ value: 81 }, { value: 96 }] });
  });

  it('reports a packet cut short by the next SYNC frame as TRUNCATED', () => {
    const a = encodeNonin2Packet({ heartRate: 80, spo2: 97, pleth });
    const b = encodeNonin2Packet({ heartRate: 82, spo2: 97, pleth });
    const out = feed(createNonin2Parser(), a.subarray(0, 5 * 12), b);
    expect(out.some((o) => o.type === 'problem' && o.error.code === 'TRUNCATED')).toBe(true);
    expect(measurements(out)).toHaveLength(1);
  });

  it('handles any chunking, one byte at a time', () => {
    const packet = encodeNonin2Packet({ heartRate: 75, spo2: 99, pleth });
    const chunks = [...packet].map((b) => Uint8Array.of(b));
    const out = feed(createNonin2Parser(), ...chunks);
    expect(samplesOf(out)).toEqual(pleth);
    expect(measurements(out)).toHaveLength(1);
  });

  it.each([
    ['sensor off', { sensorDisconnected: true }, 'SPECIAL_VALUE'],
    ['out of track', { outOfTrack: true }, 'UNSTABLE'],
    ['out of range', { heartRate: 400 }, 'OUT_OF_RANGE'],
    ['missing', { heartRate: 511, spo2: 127 }, 'SPECIAL_VALUE'],
  ] as const)('gives no reading when %s', (_name, flags, code) => {
    const out = feed(createNonin2Parser(), encodeNonin2Packet({ heartRate: 80, spo2: 97, pleth, ...flags }));
    expect(measurements(out)).toEqual([]);
    expect(out.some((o) => o.type === 'problem' && o.error.code === code)).toBe(true);
  });

  it('reports low battery from STATUS2', () => {
    const out = feed(
      createNonin2Parser(),
      encodeNonin2Packet({ heartRate: 80, spo2: 97, pleth, lowBattery: true }),
    );
    expect(out.filter((o) => o.type === 'battery')).toEqual([{ type: 'battery', low: true }]);
  });
});
