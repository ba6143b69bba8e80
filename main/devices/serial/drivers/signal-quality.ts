/**
 * Signal quality of a Nonin pulse oximeter, from its perfusion indication. Formats #2 and #7 colour
 * each pulse in status bits 2..1 for about 12 frames (01 green: high pulse signal, 11 yellow:
 * low/marginal, 10 red: low/no pulse signal; 00 between pulses); format #8 flags low and marginal
 * perfusion for the whole second. The nurse sees it as words next to the live value, not as a colour.
 */
import type { SignalQuality } from '../../../../shared/devices/reading';

export type Perfusion = 'green' | 'yellow' | 'red';

const PERFUSION_MASK = 0x06;

/** The perfusion one #2/#7 frame reports, or undefined between pulses (bits 00). */
export function perfusionOfStatus(status: number): Perfusion | undefined {
  switch (status & PERFUSION_MASK) {
    case 0x02:
      return 'green';
    case 0x06:
      return 'yellow';
    case 0x04:
      return 'red';
    default:
      return undefined;
  }
}

/** The status bits 2..1 for a perfusion colour (encoders for simulators and tests). */
export const PERFUSION_STATUS_BITS: Readonly<Record<Perfusion, number>> = {
  green: 0x02,
  yellow: 0x06,
  red: 0x04,
};

const RANK: Readonly<Record<Perfusion, number>> = { green: 0, yellow: 1, red: 2 };

/** The worse of two perfusion reports (red over yellow over green); undefined is "no report". */
export function worsePerfusion(a: Perfusion | undefined, b: Perfusion | undefined): Perfusion | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * Red perfusion or a lost pulse is a poor signal; yellow perfusion or artifact a weak one; green alone
 * a good one. Without any perfusion report and no artifact, the quality is unknown (undefined).
 */
export function signalQualityOf(facts: {
  perfusion: Perfusion | undefined;
  artifact: boolean;
  outOfTrack: boolean;
}): SignalQuality | undefined {
  if (facts.outOfTrack || facts.perfusion === 'red') return 'poor';
  if (facts.artifact || facts.perfusion === 'yellow') return 'weak';
  return facts.perfusion === 'green' ? 'good' : undefined;
}
