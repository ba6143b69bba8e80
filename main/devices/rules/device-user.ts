/**
 * The shared-device rule: a cuff or scale used by several people says whose measurement it is (User
 * ID, Blood Pressure 0x2A35 flags bit 3, Weight 0x2A9D flags bit 2). Such a reading is filed only for
 * the patient that user was matched to for this visit; otherwise it is held until the nurse decides.
 * User 0xFF ("unknown user") and readings without a user are not held. Pure.
 */

export const UNKNOWN_DEVICE_USER = 0xff;

export interface DeskPatient {
  patientId: string;
  encounterId: string | null;
}

export interface DeviceUserMatch extends DeskPatient {
  deviceId: string;
  deviceUser: number;
}

/** The user a device named, or undefined when it named none or the unknown user. */
export function deviceUserOf(userId: number | undefined): number | undefined {
  return userId === undefined || userId === UNKNOWN_DEVICE_USER ? undefined : userId;
}

/** Whether a reading from `deviceUser` of `deviceId` may be filed for this desk's patient and visit. */
export function mayFileForPatient(
  matches: readonly DeviceUserMatch[],
  reading: { deviceId: string; deviceUser: number | undefined },
  desk: DeskPatient,
): boolean {
  if (reading.deviceUser === undefined) return true;
  return matches.some(
    (m) =>
      m.deviceId === reading.deviceId &&
      m.deviceUser === reading.deviceUser &&
      m.patientId === desk.patientId &&
      m.encounterId === desk.encounterId,
  );
}
