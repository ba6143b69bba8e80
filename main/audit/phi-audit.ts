/**
 * The dispatcher's audit hook: every call to a channel that reads or writes PHI becomes an audit
 * record (who, from which window's user, which channel, which patient/resource, outcome), whether it
 * succeeded, failed or was refused. Only identifiers are taken from the request and the answer.
 */
import { channels, type ChannelDefinition, type ChannelName } from '../../shared/ipc';
import type { DispatchedCall } from '../ipc/dispatcher';
import type { AuditActor, AuditRecorder } from './recorder';

/** Whether a channel's calls are audited as PHI access, from its declaration (see ChannelDefinition.phi). */
export function phiAccessOf(
  definition: Pick<ChannelDefinition, 'phi' | 'access'>,
): 'none' | 'read' | 'write' {
  if (definition.phi) return definition.phi;
  if (definition.access === 'public') return 'none';
  // Undeclared: admins see no PHI, so a channel an admin may call is taken to carry none; one only
  // clinical staff may call is taken to show PHI and is audited rather than missed.
  return definition.access.includes('admin') ? 'none' : 'read';
}

/** FHIR resource type a channel area works on, for the audit record. */
const AREA_RESOURCE: Record<string, string> = {
  patients: 'Patient',
  encounters: 'Encounter',
  visits: 'Encounter',
  observations: 'Observation',
  vitals: 'Observation',
  reviews: 'Encounter',
  sync: 'Bundle',
  homeData: 'Observation',
};

const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

function idField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const field = (value as Record<string, unknown>)[key];
  // Identifiers only: anything that does not look like one (a name, a sentence) is not copied.
  return typeof field === 'string' && ID_PATTERN.test(field) ? field : null;
}

/**
 * Changes without PHI that the audit trail must still hold: device pairings. Setting changes (by the
 * settings handler, with which settings were refused), account changes, exports and key rotation are
 * recorded by their own services or by their PHI declaration.
 */
export const AUDITED_ADMIN_ACTIONS = [
  'devices.pair',
  'devices.unpair',
] as const satisfies readonly ChannelName[];

function isAuditedAdminAction(channel: ChannelName): boolean {
  return (AUDITED_ADMIN_ACTIONS as readonly ChannelName[]).includes(channel);
}

/** The names of the fields a change touched, never their values. */
function changedKeys(request: unknown): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return null;
  const keys = Object.keys(request).filter((k) => /^[A-Za-z0-9_.]{1,40}$/.test(k));
  return keys.length ? `keys:${keys.sort().join(',')}` : null;
}

/** The distinct patients a list answer shows, in order (patient records by id, others by patientId). */
export function patientsListed(response: unknown): string[] {
  if (!Array.isArray(response)) return [];
  const ids = new Set<string>();
  for (const item of response) {
    const id = idField(item, 'patientId') ?? (isPatientRecord(item) ? idField(item, 'id') : null);
    if (id) ids.add(id);
  }
  return [...ids];
}

/** A patient record (search result, recent list) rather than something that belongs to a patient. */
function isPatientRecord(item: unknown): boolean {
  return typeof item === 'object' && item !== null && 'mrn' in item && 'birthDate' in item;
}

export interface PhiAccess {
  action: ChannelName;
  resourceType: string | null;
  resourceId: string | null;
  patientId: string | null;
  detail: string | null;
}

/** The identifiers of one call, from its request and (on success) its answer. */
export function describePhiCall(
  call: Pick<DispatchedCall, 'channel' | 'request' | 'response' | 'outcome' | 'errorCode'>,
): PhiAccess {
  const area = call.channel.split('.')[0] ?? '';
  const resourceType = AREA_RESOURCE[area] ?? null;
  const { request, response } = call;
  const isPatientArea = resourceType === 'Patient';
  const patientId =
    idField(request, 'patientId') ??
    (isPatientArea ? idField(request, 'id') : null) ??
    idField(response, 'patientId') ??
    (isPatientArea ? idField(response, 'id') : null);
  // A create names what it created (the new Observation), not what the request pointed at (the visit).
  const created = channels[call.channel].audit?.action === 'C' ? idField(response, 'id') : null;
  const resourceId =
    (isPatientArea ? patientId : null) ??
    created ??
    idField(request, 'observationId') ??
    idField(request, 'encounterId') ??
    idField(request, 'id') ??
    idField(response, 'id') ??
    idField(response, 'encounterId');
  const changes =
    typeof request === 'object' && request !== null && !Array.isArray(request)
      ? (request as Record<string, unknown>)['changes']
      : undefined;
  const detail =
    call.outcome === 'success'
      ? Array.isArray(response)
        ? `results:${response.length}`
        : // A correction names the fields it was sent (never their values).
          changedKeys(changes)
      : (call.errorCode ?? null);
  return { action: call.channel, resourceType, resourceId, patientId, detail };
}

export function createPhiAuditHook(deps: {
  recorder: AuditRecorder;
  actorOf: (senderId: string) => AuditActor;
}): (call: DispatchedCall) => void {
  return (call) => {
    const access = phiAccessOf(channels[call.channel]);
    if (access === 'none') {
      if (!isAuditedAdminAction(call.channel)) return;
      const recorded = deps.recorder.record({
        actor: deps.actorOf(call.context.senderId),
        outcome: call.outcome,
        action: call.channel,
        detail: call.outcome === 'success' ? changedKeys(call.request) : (call.errorCode ?? null),
      });
      // A pairing change is not kept without its record: the dispatcher undoes it when this throws.
      if (!recorded) throw new AuditNotRecordedError(call.channel);
      return;
    }
    // A key rotation writes its own record into the re-encrypted file it puts in force (see
    // database.rotateKey): the record and the rotation take effect together.
    if (call.channel === 'database.rotateKey' && call.outcome === 'success') return;
    const described = describePhiCall(call);
    const actor = deps.actorOf(call.context.senderId);
    const listed = call.outcome === 'success' ? patientsListed(call.response) : [];
    // A list (a search, recent patients) is a read of every patient in it: one record each, so the
    // trail answers "who saw this patient" for searches too.
    const recorded = listed.length
      ? deps.recorder.recordAll(
          listed.map((patientId) => ({
            actor,
            outcome: call.outcome,
            ...described,
            patientId,
            resourceId: described.resourceType === 'Patient' ? patientId : described.resourceId,
          })),
        )
      : deps.recorder.record({ actor, outcome: call.outcome, ...described });
    // PHI is never given without its record: the dispatcher withholds the answer when this throws.
    if (!recorded) throw new AuditNotRecordedError(call.channel);
  };
}

/** A PHI access whose audit record could not be written (the store refused or is not open). */
export class AuditNotRecordedError extends Error {
  constructor(readonly channel: ChannelName) {
    super('audit record not written');
    this.name = 'AuditNotRecordedError';
  }
}
