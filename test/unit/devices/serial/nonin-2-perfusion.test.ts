import { describe, expect, it } from 'vitest';
import {
  createNonin2Parser,
  encodeNonin2Frame,
  encodeNonin2Packet,
  NONIN2_FRAME_LENGTH,
} from '../../../../main/devices/serial/drivers/nonin-2';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { feed } from './collect';

// Nonin format #2 status bits 2..1 give the perfusion of each frame: 01 green (good pulse signal),
// 10 red (low perfusion), 11 yellow (marginal). The packet's reading carries the worst the frames said.
const pleth = Array.from({ length: 25 }, () => 128);
const notesOf = (out: DriverOutput[]) => out.flatMap((o) => (o.type === 'measurement' ? [o.notes] : []));

describe('Nonin format #2 perfusion and artifact notes', () => {
  it('notes red as low perfusion and yellow as marginal; green says nothing', () => {
    const packet = (perfusion: 'green' | 'red' | 'yellow') =>
      encodeNonin2Packet({ heartRate: 64, spo2: 95, pleth, perfusion });
    expect(
      notesOf(feed(createNonin2Parser(), packet('green'), packet('red'), packet('yellow'), packet('green'))),
    ).toEqual([[], ['low perfusion'], ['marginal perfusion'], []]);
  });

  it('gives the signal quality with each reading: green good, yellow weak, red poor', () => {
    const packet = (perfusion: 'green' | 'red' | 'yellow') =>
      encodeNonin2Packet({ heartRate: 64, spo2: 95, pleth, perfusion });
    const out = feed(createNonin2Parser(), packet('green'), packet('yellow'), packet('red'));
    expect(out.flatMap((o) => (o.type === 'measurement' ? [o.signalQuality] : []))).toEqual([
      'good',
      'weak',
      'poor',
    ]);
  });

  it('a pulse colours only some frames: packets between pulses keep the last pulse colour', () => {
    // The oximeter sets the perfusion bits for about 12 frames per pulse and clears them (00) between
    // pulses, so at 60/min two packets in three carry no colour. They must not read as "no perfusion".
    const between = encodeNonin2Packet({ heartRate: 60, spo2: 95, pleth, perfusion: 'none' });
    const redPulse = encodeNonin2Packet({ heartRate: 60, spo2: 95, pleth, perfusion: 'red' });
    const out = feed(createNonin2Parser(), between, redPulse, between, between);
    expect(notesOf(out)).toEqual([[], ['low perfusion'], ['low perfusion'], ['low perfusion']]);
    expect(out.flatMap((o) => (o.type === 'measurement' ? [o.signalQuality] : []))).toEqual([
      undefined,
      'poor',
      'poor',
      'poor',
    ]);
  });

  it('one red frame among green ones is low perfusion, not marginal; artifact is noted beside it', () => {
    const packet = encodeNonin2Packet({ heartRate: 64, spo2: 95, pleth, artifact: true });
    // Frame 10 (not a value frame) turned red: status 0x80 | artifact 0x20 | red 0x04.
    const red = encodeNonin2Frame({ status: 0x20 | 0x04, pleth: 128, value: 0 });
    packet.set(red, 9 * NONIN2_FRAME_LENGTH);
    expect(notesOf(feed(createNonin2Parser(), packet))).toEqual([['low perfusion', 'artifact detected']]);
  });
});
