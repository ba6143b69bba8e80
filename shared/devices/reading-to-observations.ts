/**
 * What accepting a device reading records: one observation per measured vital, the blood pressure as
 * one panel with its components (MAP computed when the cuff did not send it), each carrying the
 * device's provenance and the device's own measurement time.
 */
import { meanArterialPressure } from '../clinical/derived';
import { roundTo } from '../clinical/units';
import type { VitalKind } from '../clinical/vital-signs';
import type { NewObservation } from '../records/observation';
import type { DeviceReading } from './reading';

const BP_PARTS: readonly VitalKind[] = ['systolic', 'diastolic', 'meanArterialPressure'];

export function observationsFromReading(
  reading: DeviceReading,
  context: { patientId: string; encounterId?: string | undefined; oxygenFlowLpm?: number | undefined },
): NewObservation[] {
  const base = {
    patientId: context.patientId,
    ...(context.encounterId ? { encounterId: context.encounterId } : {}),
    effectiveAt: reading.measuredAt,
    method: 'device' as const,
    device: reading.provenance,
    // What the device said about this measurement goes with every value it produced.
    ...(reading.notes.length > 0 ? { deviceNotes: reading.notes.slice(0, 10) } : {}),
  };
  const byKind = new Map(reading.values.map((v) => [v.kind, v.value]));
  const result: NewObservation[] = [];
  const sys = byKind.get('systolic');
  const dia = byKind.get('diastolic');
  if (sys !== undefined && dia !== undefined) {
    const map = byKind.get('meanArterialPressure') ?? roundTo(meanArterialPressure(sys, dia), 0);
    result.push({
      ...base,
      kind: 'bloodPressure',
      components: [
        { kind: 'systolic', value: sys },
        { kind: 'diastolic', value: dia },
        { kind: 'meanArterialPressure', value: map },
      ],
    });
  }
  for (const { kind, value } of reading.values) {
    if (BP_PARTS.includes(kind) || kind === 'inhaledOxygenFlow') continue;
    if (kind === 'spo2' && context.oxygenFlowLpm && context.oxygenFlowLpm > 0) {
      result.push({
        ...base,
        kind,
        value,
        components: [{ kind: 'inhaledOxygenFlow', value: context.oxygenFlowLpm }],
      });
    } else {
      result.push({ ...base, kind, value });
    }
  }
  return result;
}
