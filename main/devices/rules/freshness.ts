/**
 * The freshness rule: a live value may be accepted only while its device is connected and only within
 * its freshness window after it arrived (by default 30 s for a spot-check device, 5 s for a streaming
 * one such as a continuous oximeter; the policy can change both). Pure: the caller passes the clock.
 */

export type Cadence = 'spot-check' | 'streaming';

export interface FreshnessPolicy {
  spotCheckMs: number;
  streamingMs: number;
}

export const DEFAULT_FRESHNESS: FreshnessPolicy = { spotCheckMs: 30_000, streamingMs: 5_000 };

export type Freshness =
  { acceptable: true; until: Date } | { acceptable: false; reason: 'disconnected' | 'stale'; ageMs: number };

export function freshnessWindowMs(cadence: Cadence, policy: FreshnessPolicy): number {
  return cadence === 'streaming' ? policy.streamingMs : policy.spotCheckMs;
}

export function judgeFreshness(facts: {
  receivedAt: Date;
  now: Date;
  connected: boolean;
  cadence: Cadence;
  policy: FreshnessPolicy;
}): Freshness {
  const ageMs = Math.max(0, facts.now.getTime() - facts.receivedAt.getTime());
  if (!facts.connected) return { acceptable: false, reason: 'disconnected', ageMs };
  const windowMs = freshnessWindowMs(facts.cadence, facts.policy);
  if (ageMs > windowMs) return { acceptable: false, reason: 'stale', ageMs };
  return { acceptable: true, until: new Date(facts.receivedAt.getTime() + windowMs) };
}
