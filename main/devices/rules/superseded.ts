/**
 * The seen-value rule: a streaming device (a continuous oximeter sends about one value a second) may
 * send a newer value in the instant the nurse presses Accept on the one on her screen. The value she
 * saw, named by its reading id, is still filed — with its own value and measured time, never the
 * newer one — when it is that moment's value: from a streaming device that names no user, on the same
 * connection as now, at a desk that has shown this visit to this signed-in, unlocked nurse since before
 * the value arrived, and at most SEEN_VALUE_WINDOW_MS old. Anything else is refused. Pure.
 */
import type { Cadence } from './freshness';

/**
 * A streaming value stays on the card about a second before the next one replaces it; a press that
 * crossed with the next value reaches main well inside 3 s of the seen value's arrival. Longer would
 * chart a value the patient may have moved on from (a saturation falling) as the current one.
 */
export const SEEN_VALUE_WINDOW_MS = 3_000;

export type SeenValueVerdict =
  | { acceptable: true }
  | {
      acceptable: false;
      reason: 'spot-check' | 'shared-device' | 'other-connection' | 'desk-changed' | 'too-old';
    };

export function judgeSeenValue(facts: {
  seen: { receivedAt: Date; cadence: Cadence; deviceUser?: number | undefined };
  /** The seen value, the newer one and the device now are all of one unbroken connection. */
  sameConnection: boolean;
  /**
   * Since when this window's desk has shown the visit the press is for, to the same signed-in and
   * unlocked user; undefined when it shows another visit or main does not know.
   */
  deskSince: Date | undefined;
  now: Date;
}): SeenValueVerdict {
  const { seen } = facts;
  // A cuff's or scale's newer reading is a measurement the nurse asked for again: the older one is gone.
  if (seen.cadence !== 'streaming') return { acceptable: false, reason: 'spot-check' };
  // Whose a shared device's reading is may have been decided again meanwhile.
  if (seen.deviceUser !== undefined) return { acceptable: false, reason: 'shared-device' };
  if (!facts.sameConnection) return { acceptable: false, reason: 'other-connection' };
  // Strictly before: a value of the same instant as the desk's change may be the previous visit's.
  if (!facts.deskSince || facts.deskSince.getTime() >= seen.receivedAt.getTime())
    return { acceptable: false, reason: 'desk-changed' };
  if (facts.now.getTime() - seen.receivedAt.getTime() > SEEN_VALUE_WINDOW_MS)
    return { acceptable: false, reason: 'too-old' };
  return { acceptable: true };
}
