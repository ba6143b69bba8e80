/**
 * Values derived from other measurements. Pure; inputs in canonical units.
 */

/**
 * Mean arterial pressure estimated from a cuff reading: diastolic + one third of the pulse pressure,
 * the standard bedside formula when the device does not report MAP itself.
 */
export function meanArterialPressure(systolic: number, diastolic: number): number {
  return diastolic + (systolic - diastolic) / 3;
}

/** Body mass index in kg/m² from weight (kg) and height (cm). */
export function bodyMassIndex(weightKg: number, heightCm: number): number {
  if (!(heightCm > 0) || !(weightKg > 0)) {
    throw new RangeError('Weight and height must both be positive to compute a body mass index.');
  }
  const metres = heightCm / 100;
  return weightKg / (metres * metres);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError('A date must be written as YYYY-MM-DD.');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError('That date does not exist on the calendar.');
  }
  return { year, month, day };
}

/**
 * Age in completed years on a date, both as calendar dates (YYYY-MM-DD) so no time zone shifts a birthday.
 * Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageInYears(birthDate: string, onDate: string): number {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(onDate);
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  if (age < 0) throw new RangeError('The birth date is after the date the age is asked for.');
  return age;
}
