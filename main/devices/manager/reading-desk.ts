/**
 * The readings waiting for the nurse at this desk, and what main decides about them: whether one may be
 * filed now for the desk's patient (acceptance.ts), which users of shared cuffs and scales were matched to
 * which patient's visit, a held reading discarded, and a reading asked about (a rare value) that stays
 * acceptable while the nurse answers, and which visit each window's desk has shown since when (a value
 * a streaming device replaced as the nurse pressed is taken only if that visit was on screen when it
 * came). Matches, questions and desks last for this session of the app only.
 */
import type { DeviceReading } from '../../../shared/devices/reading';
import { AppError } from '../../../shared/ipc/errors';
import type { Clock } from '../../platform/clock';
import type { DeskPatient, DeviceUserMatch } from '../rules/device-user';
import type { FreshnessPolicy } from '../rules/freshness';
import { findReading, readingForAcceptance, type HeldReading } from './acceptance';
import type { ManagerContext } from './context';

/** How long a rare value asked about stays acceptable while the nurse answers (the device must stay connected). */
const CONFIRMATION_GRACE_MS = 2 * 60_000;

export function createReadingDesk(
  ctx: ManagerContext,
  deps: { clock: Clock; freshness: () => FreshnessPolicy },
) {
  const { clock, freshness } = deps;
  const { logger } = ctx;
  /** Users of shared cuffs and scales the nurse matched to a patient's visit. */
  let userMatches: DeviceUserMatch[] = [];
  /** Readings the nurse was asked to confirm (a rare value), and when: judged fresh as of then. */
  const asked = new Map<string, { at: Date; reading: DeviceReading }>();
  /** Per window: the visit its intake desk shows, and since when (same user, unlocked, throughout). */
  const desks = new Map<string, { desk: DeskPatient; since: Date }>();
  /**
   * Per window: the patient its intake desk shows, and since when. Kept across a lock or a change of
   * user (the screen showed that patient all along), unlike `desks`.
   */
  const patients = new Map<string, { patientId: string; since: Date }>();

  /** The reading was filed (or discarded): it leaves the memory list; a live value is no longer offered. */
  function settled(readingId: string): void {
    asked.delete(readingId);
    for (const state of ctx.live.values()) {
      state.memory = state.memory.filter((r) => r.readingId !== readingId);
      if (state.lastReading?.readingId === readingId) state.lastReading = null;
      state.superseded = state.superseded.filter((r) => r.reading.readingId !== readingId);
    }
  }

  /** A shared device's reading still waiting for the nurse to say whose it is; refused otherwise. */
  function heldForDecision(readingId: string): { reading: DeviceReading; deviceUser: number } {
    const held = findReading(ctx, readingId);
    const deviceUser = held?.reading.deviceUser;
    if (!held || deviceUser === undefined)
      throw new AppError('CONFLICT', 'This reading is no longer waiting for a decision.');
    return { reading: held.reading, deviceUser };
  }

  return {
    /** The reading, if it may be filed for this desk's patient now (see acceptance.ts); else why not. */
    readingForAcceptance(
      readingId: string,
      desk: DeskPatient,
      options: { userDecided?: boolean; senderId?: string } = {},
    ): HeldReading {
      const now = clock.now();
      const question = asked.get(readingId);
      const askedAt =
        question && now.getTime() - question.at.getTime() <= CONFIRMATION_GRACE_MS ? question : undefined;
      const shown = options.senderId === undefined ? undefined : desks.get(options.senderId);
      const patient = options.senderId === undefined ? undefined : patients.get(options.senderId);
      return readingForAcceptance(ctx, {
        deskSince: shown && sameDesk(shown.desk, desk) ? shown.since : undefined,
        // Only for the patient the window shows (a caller without a screen is judged by the other rules).
        patientShownSince: patient?.patientId === desk.patientId ? patient.since : undefined,
        readingId,
        desk,
        // A second confirmation takes a moment to read: the value counts as of when it was asked about.
        now: askedAt?.at ?? now,
        askedAbout: askedAt?.reading,
        freshness: freshness(),
        matches: userMatches,
        userDecided: options.userDecided ?? false,
      });
    },

    /** Refuses (CONFLICT) unless the reading still waits for the nurse to say whose it is. */
    checkHeldForDecision(readingId: string): void {
      heldForDecision(readingId);
    },

    /** A shared device's reading the nurse says is not this patient's: it is dropped, never filed. */
    discardHeldReading(readingId: string): void {
      const { reading } = heldForDecision(readingId);
      settled(readingId);
      logger.info('devices.held_reading_discarded', { driver: reading.provenance.driver });
    },

    /** A held shared-device reading the nurse says is this patient's: its user is matched to the visit. */
    matchDeviceUser(readingId: string, desk: DeskPatient): void {
      const { reading, deviceUser } = heldForDecision(readingId);
      const deviceId = reading.provenance.deviceId;
      // A user of a device is one person: a new match replaces the old one.
      userMatches = [
        ...userMatches.filter((m) => !(m.deviceId === deviceId && m.deviceUser === deviceUser)),
        { deviceId, deviceUser, ...desk },
      ];
    },

    userMatchesFor(desk: DeskPatient): { deviceId: string; deviceUser: number }[] {
      return userMatches
        .filter((m) => m.patientId === desk.patientId && m.encounterId === desk.encounterId)
        .map(({ deviceId, deviceUser }) => ({ deviceId, deviceUser }));
    },

    settled,

    /** A window's intake desk now shows this visit: kept with the time it first did. */
    deskShown(senderId: string, desk: DeskPatient): void {
      const shown = desks.get(senderId);
      if (!shown || !sameDesk(shown.desk, desk)) desks.set(senderId, { desk, since: clock.now() });
      if (patients.get(senderId)?.patientId !== desk.patientId)
        patients.set(senderId, { patientId: desk.patientId, since: clock.now() });
    },

    /** Someone signed in or out, or a screen locked or unlocked: no desk is known to show anything now. */
    desksForgotten(): void {
      desks.clear();
    },

    /** Main asked the nurse to confirm this reading (a rare value): freshness is judged as of now. */
    askedAbout(readingId: string): void {
      const held = findReading(ctx, readingId);
      if (held && !asked.has(readingId)) asked.set(readingId, { at: clock.now(), reading: held.reading });
      if (asked.size > 100) asked.delete(asked.keys().next().value!);
    },
  };
}

function sameDesk(a: DeskPatient, b: DeskPatient): boolean {
  return a.patientId === b.patientId && a.encounterId === b.encounterId;
}
