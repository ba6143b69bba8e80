/**
 * Which device reading may be filed now, decided in main whatever the screen shows: a live value only
 * while its device is connected, only within its freshness window, and only the device's newest one —
 * or, from a streaming device, the value on the nurse's screen that a newer one replaced as she pressed
 * (rules/superseded.ts); a value from the device's memory while it is listed; a value a shared cuff or
 * scale names a user for only when that user was matched to this desk's patient for this visit.
 */
import type { DeviceReading } from '../../../shared/devices/reading';
import { AppError } from '../../../shared/ipc/errors';
import { durationWords } from '../rules/device-clock';
import { mayFileForPatient, type DeskPatient, type DeviceUserMatch } from '../rules/device-user';
import { freshnessWindowMs, judgeFreshness, type FreshnessPolicy } from '../rules/freshness';
import { judgePatientOpened } from '../rules/patient-opened';
import { judgeSeenValue } from '../rules/superseded';
import type { LiveDevice, ManagerContext } from './context';

export interface HeldReading {
  reading: DeviceReading;
  deviceName: string;
  state: LiveDevice;
  /** A live value a newer one replaced: its connection session (the newer value is `state.lastReading`). */
  superseded?: { session: number } | undefined;
}

const NO_LONGER_ACCEPTABLE =
  'This reading can no longer be accepted: a newer one arrived, or its device was removed. Take a new reading.';

const CAME_BEFORE_PATIENT = (deviceName: string) =>
  `This value from ${deviceName} came before this patient was opened at this desk, so it may be the previous patient's. Take a new reading.`;

/** The reading with this id, wherever the manager keeps it (a device's live value or its memory list). */
export function findReading(
  ctx: ManagerContext,
  readingId: string,
  /** A reading the nurse is answering a question about, kept though newer ones arrived since. */
  askedAbout?: DeviceReading,
): HeldReading | undefined {
  for (const device of ctx.store.list()) {
    const state = ctx.live.get(device.id);
    if (!state) continue;
    const reading =
      state.lastReading?.readingId === readingId
        ? state.lastReading
        : (state.memory.find((r) => r.readingId === readingId) ??
          (askedAbout?.provenance.deviceId === device.id ? askedAbout : undefined));
    if (reading) return { reading, deviceName: device.name, state };
    const replaced = state.superseded.find((s) => s.reading.readingId === readingId);
    if (replaced)
      return {
        reading: replaced.reading,
        deviceName: device.name,
        state,
        superseded: { session: replaced.session },
      };
  }
  return undefined;
}

export function heldForUser(reading: DeviceReading, deviceName: string): string {
  return `Reading from user ${reading.deviceUser} of ${deviceName} — whose is it?`;
}

/** The reading, if it may be filed for this desk's patient now; otherwise the reason, for the nurse. */
export function readingForAcceptance(
  ctx: ManagerContext,
  facts: {
    readingId: string;
    desk: DeskPatient;
    now: Date;
    freshness: FreshnessPolicy;
    matches: readonly DeviceUserMatch[];
    askedAbout?: DeviceReading | undefined;
    /** The nurse is deciding whose a shared device's reading is: its user is not checked. */
    userDecided?: boolean;
    /**
     * Since when the pressing window's desk has shown this visit to the same signed-in, unlocked user
     * (undefined: another visit, or not known): a replaced value is taken only if it came after that.
     */
    deskSince?: Date | undefined;
    /** Since when the pressing window's desk has shown this patient (undefined: not known). */
    patientShownSince?: Date | undefined;
  },
): HeldReading {
  const held = findReading(ctx, facts.readingId, facts.askedAbout);
  if (!held) throw new AppError('CONFLICT', NO_LONGER_ACCEPTABLE);
  const { reading, deviceName, state } = held;
  if (held.superseded) {
    const seen = judgeSeenValue({
      seen: {
        receivedAt: new Date(reading.receivedAt),
        cadence: reading.cadence ?? 'spot-check',
        deviceUser: reading.deviceUser,
      },
      // Replaced by a value of the same connection, which is still the device's connection now.
      sameConnection: held.superseded.session === state.lastReadingSession,
      deskSince: facts.deskSince,
      now: facts.now,
    });
    if (!seen.acceptable) throw new AppError('CONFLICT', NO_LONGER_ACCEPTABLE);
  }
  if (reading.origin !== 'memory') {
    // Measured before this patient was on the screen: it may be the previous patient's.
    const opened = judgePatientOpened({
      receivedAt: new Date(reading.receivedAt),
      patientShownSince: facts.patientShownSince,
    });
    if (!opened.acceptable) throw new AppError('CONFLICT', CAME_BEFORE_PATIENT(deviceName));
    // Connected now, and still the connection the value came in on: a drop ends it even if the device is back.
    // (A replaced value came in on the newer value's connection: judgeSeenValue checked that above.)
    const connected =
      state.connection !== undefined &&
      (state.status.state === 'connected' || state.status.state === 'reading') &&
      state.lastReadingSession === state.session;
    const fresh = judgeFreshness({
      receivedAt: new Date(reading.receivedAt),
      now: facts.now,
      connected,
      cadence: reading.cadence ?? 'spot-check',
      policy: facts.freshness,
    });
    if (!fresh.acceptable) {
      const age = fresh.ageMs < 60_000 ? `${Math.round(fresh.ageMs / 1000)} s` : durationWords(fresh.ageMs);
      const windowS = Math.round(freshnessWindowMs(reading.cadence ?? 'spot-check', facts.freshness) / 1000);
      throw new AppError(
        'CONFLICT',
        fresh.reason === 'disconnected'
          ? `${deviceName} is disconnected: its last value can no longer be accepted. Take a new reading.`
          : `The value from ${deviceName} is ${age} old; a value can be accepted for ${windowS} s. Take a new reading.`,
      );
    }
  }
  const user = { deviceId: reading.provenance.deviceId, deviceUser: reading.deviceUser };
  if (facts.userDecided) {
    if (reading.deviceUser === undefined)
      throw new AppError('CONFLICT', 'This reading is not waiting for a decision; accept it instead.');
  } else if (!mayFileForPatient(facts.matches, user, facts.desk)) {
    throw new AppError('CONFLICT', heldForUser(reading, deviceName));
  }
  return held;
}
