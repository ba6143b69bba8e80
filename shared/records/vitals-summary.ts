/**
 * From a patient's latest observations to what the screens show: the current value of each vital
 * and the NEWS2 input. Shared by the intake and review screens so both score the same way.
 */
import type { Consciousness, News2Input } from '../clinical/news2';
import type { ConsciousnessLevel, VitalKind } from '../clinical/vital-signs';
import type { Observation, ObservationKind } from './observation';

const ACVPU: Readonly<Record<ConsciousnessLevel, Consciousness>> = {
  A: 'alert',
  C: 'confusion',
  V: 'voice',
  P: 'pain',
  U: 'unresponsive',
};

/** The newest current version per kind (entered-in-error versions withdraw the value). */
export function latestByKind(observations: readonly Observation[]): Map<ObservationKind, Observation> {
  const latest = new Map<ObservationKind, Observation>();
  for (const o of observations) {
    if (o.status === 'entered-in-error') continue;
    const seen = latest.get(o.kind);
    if (!seen || o.effectiveAt > seen.effectiveAt) latest.set(o.kind, o);
  }
  return latest;
}

export function componentValue(observation: Observation, kind: VitalKind): number | undefined {
  return observation.components.find((c) => c.kind === kind)?.value;
}

/** Supplemental oxygen is recorded as an inhaled-oxygen-flow component of the SpO2 observation. */
export function isOnOxygen(spo2: Observation): boolean {
  return (componentValue(spo2, 'inhaledOxygenFlow') ?? 0) > 0;
}

export function news2InputOf(latest: ReadonlyMap<ObservationKind, Observation>): News2Input {
  const value = (kind: ObservationKind) => latest.get(kind)?.value ?? undefined;
  const spo2 = latest.get('spo2');
  const bp = latest.get('bloodPressure');
  const consciousness = latest.get('consciousness')?.valueCode;
  return {
    respiratoryRate: value('respiratoryRate'),
    spo2: spo2?.value ?? undefined,
    onOxygen: spo2 ? isOnOxygen(spo2) : undefined,
    systolic: bp ? componentValue(bp, 'systolic') : value('systolic'),
    pulse: value('heartRate'),
    consciousness: consciousness ? ACVPU[consciousness] : undefined,
    temperature: value('bodyTemperature'),
  };
}
