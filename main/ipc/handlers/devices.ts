import { observationsFromReading } from '../../../shared/devices/reading-to-observations';
import { readingValuesText } from '../../../shared/devices/reading-words';
import type { Confirmation } from '../../../shared/clinical/confirmation';
import type { devicesChannels } from '../../../shared/ipc/channels/devices';
import { AppError } from '../../../shared/ipc/errors';
import type { Observation } from '../../../shared/records';
import type { ObservationRepository } from '../../db/repositories/observations';
import type { DeviceManager } from '../../devices/manager';
import type { HeldReading } from '../../devices/manager/acceptance';
import type { EventBus } from '../event-bus';
import { whenSaved } from '../when-saved';
import type { CallContext, Handlers } from '../dispatcher';
import { requireConfirmations } from '../require-confirmations';

interface AcceptRequest {
  readingId: string;
  patientId: string;
  encounterId?: string | undefined;
  oxygenFlowLpm?: number | undefined;
  confirmed?: Confirmation[] | undefined;
}

export function createDevicesHandlers(deps: {
  devices: DeviceManager;
  observations: () => ObservationRepository;
  actorOf: (context: CallContext) => string;
  events: Pick<EventBus, 'emit' | 'subscribe'>;
}): Pick<Handlers, keyof typeof devicesChannels> {
  const { devices } = deps;
  // A sign-in, sign-out, lock or unlock anywhere: no desk is taken to show the same visit across it.
  deps.events.subscribe((name) => {
    if (name === 'auth.changed') devices.desksForgotten();
  });
  const deskOf = (r: { patientId: string; encounterId?: string | undefined }) => ({
    patientId: r.patientId,
    encounterId: r.encounterId ?? null,
  });

  /**
   * The accept path: a reading filed before returns what it made then (for this patient only); otherwise
   * main decides whether it may be filed now (freshness, connection, shared-device user) and files it
   * once, in one transaction keyed by the reading's id. `decided` is what else the filing settles (whose
   * a shared device's reading is), kept only once the filing is saved.
   */
  const accept = (
    request: AcceptRequest,
    context: CallContext,
    take: () => HeldReading,
    decided: () => void = () => undefined,
  ) => {
    const repository = deps.observations();
    const earlier = repository.observationsOfReading(request.readingId);
    if (earlier.length > 0) {
      if (earlier.some((o) => o.patientId !== request.patientId))
        throw new AppError('CONFLICT', 'This reading is already filed for another patient.');
      return { observations: earlier, alreadyAccepted: true, message: 'Already accepted; nothing added.' };
    }
    const { reading, deviceName, superseded, state } = take();
    const newer = superseded ? state.lastReading : null;
    const toFile = observationsFromReading(reading, request);
    try {
      // A rare value from a device asks the same second confirmation as a typed one.
      for (const observation of toFile)
        requireConfirmations({
          observation,
          confirmed: request.confirmed,
          latestVitals: (patientId) => repository.latestVitals(patientId),
        });
    } catch (error) {
      // The value was acceptable when asked: the answer may come after its freshness window.
      devices.askedAbout(reading.readingId);
      throw error;
    }
    const filed = repository.recordDeviceReading(reading.readingId, toFile, deps.actorOf(context));
    // Only once the values are saved with their audit record: the decision is kept, the reading is taken
    // off the desk and the screens are told. A filing rolled back leaves the reading (still held, no user
    // matched) to accept or file again while it is fresh.
    const done = () => {
      decided();
      devices.settled(reading.readingId);
      for (const observation of filed.observations) announce(observation);
    };
    whenSaved(context, done);
    return {
      observations: filed.observations,
      alreadyAccepted: filed.alreadyFiled,
      message: filed.alreadyFiled
        ? 'Already accepted; nothing added.'
        : newer
          ? `Accepted ${readingValuesText(reading.values)} from ${deviceName}, the value you saw; the newer ${readingValuesText(newer.values)} that came as you pressed was not charted.`
          : `Accepted ${readingValuesText(reading.values)} from ${deviceName}.`,
    };
  };
  const announce = (observation: Observation) =>
    deps.events.emit('observations.recorded', { patientId: observation.patientId, observation });

  return {
    'devices.list': () => devices.list(),
    // A pairing change stays only with its audit record: the dispatcher undoes it if that cannot be written.
    'devices.pair': (request, context) => {
      const paired = devices.pair(request);
      context.undoIfUnrecorded?.(() => devices.unpair(paired.id).then(() => undefined));
      return paired;
    },
    'devices.unpair': async ({ id }, context) => {
      const pairing = devices.pairing(id);
      const removed = await devices.unpair(id);
      context.undoIfUnrecorded?.(() => devices.restorePairing(pairing));
      return removed;
    },
    'devices.connect': ({ id }) => devices.connect(id),
    'devices.disconnect': ({ id }) => devices.disconnect(id),
    'devices.serialPorts': () => devices.serialPorts(),
    'devices.bleScan': async ({ seconds }) => ({ devices: await devices.bleScan(seconds) }),
    'devices.accept': (request, context) =>
      accept(request, context, () =>
        devices.readingForAcceptance(request.readingId, deskOf(request), { senderId: context.senderId }),
      ),
    'devices.fileHeldReading': (request, context) =>
      accept(
        request,
        context,
        () =>
          devices.readingForAcceptance(request.readingId, deskOf(request), {
            userDecided: true,
            senderId: context.senderId,
          }),
        // The nurse's answer (this user is this patient) stays only with the filing it came with.
        () => devices.matchDeviceUser(request.readingId, deskOf(request)),
      ),
    'devices.discardHeldReading': ({ readingId }, context) => {
      devices.checkHeldForDecision(readingId);
      // Dropped only once the discard is in the audit trail: one the trail refuses leaves it held.
      whenSaved(context, () => devices.discardHeldReading(readingId));
      return { readingId };
    },
    // The intake desk asks this each time it opens a patient's visit: main notes the visit this window
    // shows from now, so a value a streaming device replaced as the nurse pressed is taken only if it
    // came while this visit was on her screen.
    'devices.userMatches': (request, context) => {
      devices.deskShown(context.senderId, deskOf(request));
      return devices.userMatchesFor(deskOf(request));
    },
    'devices.setClock': ({ id }) => devices.setClock(id),
  };
}
