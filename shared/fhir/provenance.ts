import type { Device, Practitioner, Provenance, Reference } from '@medplum/fhirtypes';
import type { ObservationRecord } from './records';

export interface ProvenanceReferences {
  readonly target: Reference;
  readonly enterer?: Reference<Practitioner> | undefined;
  readonly device?: Reference<Device> | undefined;
}

/**
 * FHIR R4 Provenance (provenance.html) for one observation version: who entered it, which device measured it,
 * and whether it was a creation or a correction (activity from v3 DataOperation), with the reason.
 */
export function toFhirProvenance(record: ObservationRecord, refs: ProvenanceReferences): Provenance {
  const activity =
    record.version === 1
      ? { code: 'CREATE', display: 'create' }
      : record.status === 'entered-in-error'
        ? { code: 'NULLIFY', display: 'nullify' }
        : { code: 'UPDATE', display: 'revise' };
  const agent: Provenance['agent'] = [];
  if (refs.enterer) {
    agent.push({
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
            code: 'enterer',
            display: 'Enterer',
          },
        ],
      },
      who: refs.enterer,
    });
  }
  if (refs.device) {
    agent.push({
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
            code: 'performer',
            display: 'Performer',
          },
        ],
      },
      who: refs.device,
    });
  }
  if (agent.length === 0) {
    throw new Error('A provenance record needs the member of staff or the device behind the observation.');
  }
  return {
    resourceType: 'Provenance',
    target: [refs.target],
    occurredDateTime: record.effectiveAt,
    recorded: record.recordedAt,
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', ...activity }] },
    ...(record.reason ? { reason: [{ text: record.reason }] } : {}),
    agent,
  };
}
