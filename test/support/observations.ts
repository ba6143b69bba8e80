/** A stored observation as the renderer receives it, for tests of pure functions over observations. */
import { codeOfKind, type Observation, type ObservationKind } from '../../shared/records';

let n = 0;

/** A typed-in, final observation of `kind` with the kind's LOINC code and unit; `patch` overrides any field. */
export function observationOf(kind: ObservationKind, patch: Partial<Observation> = {}): Observation {
  n += 1;
  const { code, unit } = codeOfKind(kind);
  return {
    id: `obs-${n}`,
    seriesId: `obs-${n}`,
    versionOf: null,
    patientId: 'p-1',
    encounterId: 'e-1',
    code,
    kind,
    value: null,
    valueCode: null,
    unit,
    components: [],
    bodySite: null,
    effectiveAt: '2026-01-01T09:00:00.000Z',
    recordedAt: '2026-01-01T09:00:00.000Z',
    recordedBy: 'u-1',
    method: 'manual',
    device: null,
    deviceNotes: [],
    status: 'final',
    reason: null,
    ...patch,
  };
}
