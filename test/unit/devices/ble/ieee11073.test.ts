import { describe, expect, it } from 'vitest';
import {
  dateTimeToDate,
  decodeFloat,
  decodeSfloat,
  parseDateTime,
  readFloat,
  readSfloat,
} from '../../../../main/devices/ieee11073';
import { float32, FLOAT_SPECIALS, sfloat, SFLOAT_SPECIALS } from '../../../sim/ble/encoders';

describe('SFLOAT (IEEE 11073-20601 Annex F.8)', () => {
  it.each([
    // [raw, value] including the PHD implementation guide's examples: 0x0002 = 2, 0xF014 = 2.0, 0xE0C8 = 2.00
    [0x0002, 2],
    [0xf014, 2],
    [0xe0c8, 2],
    [0x1002, 20],
    [0xf16d, 36.5],
    [0xff9c, -10], // exponent 15 = -1, mantissa 0xF9C = -100
    [0x0fff, -1],
    [0x7001, 10_000_000],
    [0x8001, 1e-8],
    [0x07fd, 2045],
    [0x0803, -2045],
  ])('decodes 0x%s', (raw, value) => {
    const n = decodeSfloat(raw);
    expect(n).toEqual({ kind: 'number', value });
  });

  it.each(Object.entries(SFLOAT_SPECIALS))(
    'returns the special %s as a typed special, not a number',
    (name, raw) => {
      expect(decodeSfloat(raw)).toEqual({ kind: 'special', special: name });
    },
  );

  it('treats the special mantissas with a non-zero exponent as numbers (the specials are exponent 0)', () => {
    expect(decodeSfloat(sfloat(2047, -1))).toEqual({ kind: 'number', value: 204.7 });
    expect(decodeSfloat(sfloat(-2048, 1))).toEqual({ kind: 'number', value: -20480 });
  });

  it('round-trips every exponent and a sweep of mantissas built by the encoder', () => {
    for (let e = -8; e <= 7; e++) {
      for (let m = -2048; m <= 2047; m += 7) {
        const raw = sfloat(m, e);
        const n = decodeSfloat(raw);
        if (e === 0 && Object.values(SFLOAT_SPECIALS).includes(raw as never)) continue;
        expect(n.kind).toBe('number');
        if (n.kind === 'number') expect(n.value).toBeCloseTo(m * 10 ** e, 10);
      }
    }
  });

  it('reads little-endian from a byte offset', () => {
    expect(readSfloat(Uint8Array.of(0xaa, 0x6d, 0xf1), 1)).toEqual({ kind: 'number', value: 36.5 });
  });
});

describe('FLOAT (IEEE 11073-20601 Annex F.8)', () => {
  it.each([
    [float32(365, -1), 36.5],
    [float32(-40, 0), -40],
    [float32(98_6, -1), 98.6],
    [float32(-8_388_608, 1), -83_886_080], // the NRes mantissa is a number when the exponent is not 0
    [float32(8_388_605, -3), 8388.605],
    [float32(1, 127), 1e127],
    [float32(1, -128), 1e-128],
  ])('decodes 0x%s', (raw, value) => {
    const n = decodeFloat(raw);
    expect(n.kind).toBe('number');
    if (n.kind === 'number') expect(n.value).toBeCloseTo(value, 10);
  });

  it.each(Object.entries(FLOAT_SPECIALS))('returns the special %s as a typed special', (name, raw) => {
    expect(decodeFloat(raw)).toEqual({ kind: 'special', special: name });
  });

  it('reads little-endian from a byte offset', () => {
    // 0xFF00016D: exponent -1, mantissa 365
    expect(readFloat(Uint8Array.of(0x6d, 0x01, 0x00, 0xff), 0)).toEqual({ kind: 'number', value: 36.5 });
  });
});

describe('Date Time (GATT Specification Supplement §3.70)', () => {
  it('parses year, month, day, hours, minutes, seconds', () => {
    const bytes = Uint8Array.of(0xe8, 0x07, 11, 29, 23, 8, 57);
    const r = parseDateTime(bytes);
    expect(r).toEqual({
      ok: true,
      value: { year: 2024, month: 11, day: 29, hours: 23, minutes: 8, seconds: 57 },
    });
    if (r.ok) expect(dateTimeToDate(r.value)?.getTime()).toBe(new Date(2024, 10, 29, 23, 8, 57).getTime());
  });

  it('is TRUNCATED below seven bytes at every length', () => {
    for (let n = 0; n < 7; n++)
      expect(parseDateTime(new Uint8Array(n))).toMatchObject({ ok: false, error: { code: 'TRUNCATED' } });
  });

  it('refuses impossible fields as GARBAGE and gives no instant for unknown (0) dates', () => {
    expect(parseDateTime(Uint8Array.of(0xe8, 0x07, 13, 1, 0, 0, 0))).toMatchObject({
      ok: false,
      error: { code: 'GARBAGE' },
    });
    expect(parseDateTime(Uint8Array.of(0xe8, 0x07, 1, 1, 24, 0, 0))).toMatchObject({
      ok: false,
      error: { code: 'GARBAGE' },
    });
    const unknown = parseDateTime(new Uint8Array(7));
    expect(unknown.ok).toBe(true);
    if (unknown.ok) expect(dateTimeToDate(unknown.value)).toBeUndefined();
    const feb31 = parseDateTime(Uint8Array.of(0xe8, 0x07, 2, 31, 0, 0, 0));
    // 31 February passes the field checks (day ≤ 31) but is no date: there is no time to use.
    expect(feb31.ok).toBe(true);
    if (feb31.ok) expect(dateTimeToDate(feb31.value)).toBeUndefined();
    const day = (year: number, month: number, d: number) => {
      const r = parseDateTime(Uint8Array.of(year & 0xff, year >> 8, month, d, 12, 0, 0));
      expect(r.ok).toBe(true);
      return r.ok ? dateTimeToDate(r.value) : null;
    };
    expect(day(2024, 2, 29)?.getTime()).toBe(new Date(2024, 1, 29, 12).getTime());
    expect(day(2023, 2, 29)).toBeUndefined();
    expect(day(2000, 2, 29)?.getTime()).toBe(new Date(2000, 1, 29, 12).getTime());
    expect(day(1900, 2, 29)).toBeUndefined();
    expect(day(2024, 4, 31)).toBeUndefined();
    expect(day(2024, 12, 31)?.getTime()).toBe(new Date(2024, 11, 31, 12).getTime());
  });

  it('applies a minute offset (glucose time offset)', () => {
    const r = parseDateTime(Uint8Array.of(0xe8, 0x07, 1, 1, 0, 30, 0));
    expect(r.ok && dateTimeToDate(r.value, -45)?.getTime()).toBe(new Date(2023, 11, 31, 23, 45, 0).getTime());
  });
});
