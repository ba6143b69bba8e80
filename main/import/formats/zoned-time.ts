/**
 * Times written with their zone, as FHIR (dateTime, instant) and Open mHealth (RFC 3339 date_time) write
 * them: "2026-03-01T08:15:00+01:00" or "2026-03-01T07:15:00Z". A date alone, or a time without a zone,
 * is not an instant. The day must exist and the year be one a measurement can have: Date.parse would
 * move 30 February to 2 March, and keep a year such as 0026.
 */
import { daysInMonth } from '../../../shared/records/calendar';
import { HOME_DATA_YEARS } from './local-time';

const ZONED = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The instant in ISO 8601 UTC, or why there is none: no time of day and zone, or no such day or year. */
export type ZonedTime = { iso: string } | { fault: 'no time and zone' | 'no such day' };

/**
 * What a reader says of a record whose time was refused: `what` names the record ("an Observation"),
 * `withoutZone` how its format calls a time with a zone; a day that does not exist is quoted.
 */
export function zonedTimeProblem(
  what: string,
  text: string | undefined,
  fault: Extract<ZonedTime, { fault: string }>['fault'],
  withoutZone: string,
): string {
  return fault === 'no such day'
    ? `${what} at "${text ?? ''}", a day that does not exist or a year no measurement has`
    : `${what} without ${withoutZone}`;
}

export function zonedTimeToIso(text: string | undefined): ZonedTime {
  const m = text === undefined ? null : ZONED.exec(text);
  if (!m) return { fault: 'no time and zone' };
  const year = Number(m[1]);
  const day = Number(m[3]);
  if (
    year < HOME_DATA_YEARS.first ||
    year > HOME_DATA_YEARS.last ||
    day < 1 ||
    day > daysInMonth(year, Number(m[2]))
  ) {
    return { fault: 'no such day' };
  }
  const ms = Date.parse(text!);
  return Number.isNaN(ms) ? { fault: 'no time and zone' } : { iso: new Date(ms).toISOString() };
}
