/**
 * Unit conversions between the canonical UCUM unit of each vital (what is stored and sent over FHIR) and
 * the other units nurses enter or devices report. Pure; no rounding except in the display helpers.
 *
 * Factors:
 * - [degF]: °F = °C × 9/5 + 32 (UCUM, "The Unified Code for Units of Measure", §4.3 table 17, [degF]).
 * - [lb_av]: 1 [lb_av] = 7000 [gr] = 453.59237 g exactly (UCUM §4.4 table 21, avoirdupois; [gr] = 64.79891 mg).
 * - [in_i]: 1 [in_i] = 2.54 cm exactly (UCUM §4.4 table 18, international customary units).
 * - kPa / mm[Hg]: 1 mm[Hg] = 133.322387415 Pa (UCUM §4.3 table 16: 13.5951 g/cm³ × gₙ × 1 mm).
 * - glucose mmol/L → mg/dL: × 18.016, from the molar mass of glucose C₆H₁₂O₆, 180.16 g/mol
 *   (1 mmol/L = 180.16 mg/L = 18.016 mg/dL); the factor used by clinical laboratories for glucose.
 */
import { VITALS, type VitalKind } from './vital-signs';

export interface UnitOption {
  /** UCUM code, as sent in FHIR valueQuantity.code. */
  readonly code: string;
  /** What the nurse reads. */
  readonly label: string;
  /** Decimal places shown and accepted at entry. */
  readonly decimals: number;
}

interface Conversion {
  /** From this unit to the canonical unit. */
  readonly toCanonical: (value: number) => number;
  /** From the canonical unit to this unit. */
  readonly fromCanonical: (value: number) => number;
}

const identity: Conversion = { toCanonical: (v) => v, fromCanonical: (v) => v };

const POUND_KG = 0.45359237;
const INCH_CM = 2.54;
const MMHG_KPA = 0.133322387415;
export const GLUCOSE_MGDL_PER_MMOLL = 18.016;

const linear = (canonicalPerUnit: number): Conversion => ({
  toCanonical: (v) => v * canonicalPerUnit,
  fromCanonical: (v) => v / canonicalPerUnit,
});

const FAHRENHEIT: Conversion = {
  toCanonical: (f) => ((f - 32) * 5) / 9,
  fromCanonical: (c) => (c * 9) / 5 + 32,
};

type UnitTable = Readonly<Record<string, { option: UnitOption; conversion: Conversion }>>;

function table(
  kind: VitalKind,
  decimals: number,
  others: readonly [UnitOption, Conversion][] = [],
): UnitTable {
  const canonical = VITALS[kind];
  const entries: [string, { option: UnitOption; conversion: Conversion }][] = [
    [
      canonical.unit,
      { option: { code: canonical.unit, label: canonical.unitLabel, decimals }, conversion: identity },
    ],
    ...others.map(([option, conversion]): [string, { option: UnitOption; conversion: Conversion }] => [
      option.code,
      { option, conversion },
    ]),
  ];
  return Object.fromEntries(entries);
}

const pressureUnits = (kind: VitalKind): UnitTable =>
  table(kind, 0, [[{ code: 'kPa', label: 'kPa', decimals: 1 }, linear(1 / MMHG_KPA)]]);

const UNITS: Readonly<Record<VitalKind, UnitTable>> = {
  heartRate: table('heartRate', 0),
  respiratoryRate: table('respiratoryRate', 0),
  spo2: table('spo2', 0),
  bodyTemperature: table('bodyTemperature', 1, [[{ code: '[degF]', label: '°F', decimals: 1 }, FAHRENHEIT]]),
  systolic: pressureUnits('systolic'),
  diastolic: pressureUnits('diastolic'),
  meanArterialPressure: pressureUnits('meanArterialPressure'),
  bodyWeight: table('bodyWeight', 1, [[{ code: '[lb_av]', label: 'lb', decimals: 1 }, linear(POUND_KG)]]),
  bodyHeight: table('bodyHeight', 1, [[{ code: '[in_i]', label: 'in', decimals: 1 }, linear(INCH_CM)]]),
  bmi: table('bmi', 1),
  glucose: table('glucose', 0, [
    [{ code: 'mmol/L', label: 'mmol/L', decimals: 1 }, linear(GLUCOSE_MGDL_PER_MMOLL)],
  ]),
  painScore: table('painScore', 0),
  inhaledOxygenFlow: table('inhaledOxygenFlow', 1),
};

/** Thrown when a unit is not one Vitals Desk knows for that vital: a programming or FHIR-input error. */
export class UnsupportedUnitError extends Error {
  readonly kind: VitalKind;
  readonly unit: string;
  constructor(kind: VitalKind, unit: string) {
    super(`The unit "${unit}" cannot be used for ${VITALS[kind].display.toLowerCase()}.`);
    this.name = 'UnsupportedUnitError';
    this.kind = kind;
    this.unit = unit;
  }
}

function lookup(kind: VitalKind, unit: string): { option: UnitOption; conversion: Conversion } {
  // hasOwn: a unit string from FHIR input such as "toString" must not reach the object's prototype.
  const entry = Object.hasOwn(UNITS[kind], unit) ? UNITS[kind][unit] : undefined;
  if (!entry) throw new UnsupportedUnitError(kind, unit);
  return entry;
}

/** The units a vital may be entered or shown in; the canonical one first. */
export function unitOptions(kind: VitalKind): readonly UnitOption[] {
  return Object.values(UNITS[kind]).map((e) => e.option);
}

export function isSupportedUnit(kind: VitalKind, unit: string): boolean {
  return Object.hasOwn(UNITS[kind], unit);
}

/** A value in `unit` converted to the canonical unit of `kind`. Unrounded. */
export function toCanonical(kind: VitalKind, value: number, unit: string): number {
  return lookup(kind, unit).conversion.toCanonical(value);
}

/** A canonical value converted to `unit`. Unrounded. */
export function fromCanonical(kind: VitalKind, value: number, unit: string): number {
  return lookup(kind, unit).conversion.fromCanonical(value);
}

/**
 * Rounds half away from zero to `decimals` places, exactly for decimal inputs (1.005 → 1.01), by shifting
 * the decimal point in the number's text rather than multiplying by a binary fraction.
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e${decimals}`));
  return sign * Number(`${shifted}e-${decimals}`);
}

/** A canonical value in `unit` (default canonical), rounded to that unit's display precision. */
export function displayValue(
  kind: VitalKind,
  canonicalValue: number,
  unit: string = VITALS[kind].unit,
): number {
  const { option, conversion } = lookup(kind, unit);
  return roundTo(conversion.fromCanonical(canonicalValue), option.decimals);
}

/**
 * Decimals a value may show beyond its unit's usual ones, when it was measured to them: a 0.05 kg scale
 * (72.35 kg), a 0.05 °C thermometer (36.85 °C), a 0.25 L/min flow. Kinds not listed are counted in whole
 * units or tenths, or their extra decimals would only be conversion artefacts: 69 in is 175.26 cm exactly,
 * 5.0 mmol/L is 90.08 mg/dL. (A weight typed in tenths of a pound or a temperature in tenths of a °F never
 * lands on exactly two decimals of kg or °C.)
 */
const EXTRA_DECIMALS: Partial<Record<VitalKind, number>> = {
  bodyWeight: 1,
  bodyTemperature: 1,
  inhaledOxygenFlow: 1,
};

/**
 * The decimals a stored value is shown to in `unit`: the unit's usual ones, or, in the unit it is stored
 * in, more (up to its extra) when the value has them exactly, as a 0.05 kg scale's 72.35 kg does; binary noise (72.35000001) is not a
 * decimal, and a value with more than that (a weight typed in lb, 72.5747792 kg) shows the usual ones.
 */
export function shownDecimals(
  kind: VitalKind,
  canonicalValue: number,
  unit: string = VITALS[kind].unit,
): number {
  const { option, conversion } = lookup(kind, unit);
  const value = conversion.fromCanonical(canonicalValue);
  // In another unit than the stored one, extra decimals are the conversion's (37.2 °C is 98.96 °F).
  const most = option.decimals + (unit === VITALS[kind].unit ? (EXTRA_DECIMALS[kind] ?? 0) : 0);
  for (let d = option.decimals; d <= most; d++) if (Math.abs(roundTo(value, d) - value) < 1e-6) return d;
  return option.decimals;
}

/** "37.2 °C", "98.9 °F", "72.35 kg" (stored so): value and unit label as shown on screen. */
export function formatVital(
  kind: VitalKind,
  canonicalValue: number,
  unit: string = VITALS[kind].unit,
): string {
  const { option, conversion } = lookup(kind, unit);
  const decimals = shownDecimals(kind, canonicalValue, unit);
  const shown = roundTo(conversion.fromCanonical(canonicalValue), decimals).toFixed(decimals);
  return `${shown} ${option.label}`;
}

/** "85 kg", "84.8 kg", "72.35 kg", "37 °C": like formatVital but without trailing zeros, for sentences. */
export function formatVitalPlain(
  kind: VitalKind,
  canonicalValue: number,
  unit: string = VITALS[kind].unit,
): string {
  const { option, conversion } = lookup(kind, unit);
  const shown = roundTo(conversion.fromCanonical(canonicalValue), shownDecimals(kind, canonicalValue, unit));
  return `${shown} ${option.label}`;
}

/**
 * Height written as feet and inches ("5 ft 9 in"): a way of writing [in_i] (1 [ft_i] = 12 [in_i], UCUM
 * §4.4 table 18), not a unit of its own, so it is never stored, sent or accepted from FHIR.
 */
export const FEET_AND_INCHES = 'ft+in';

/** A height in cm as whole feet and inches to one decimal; 71.96 in is 6 ft 0 in, never 5 ft 12 in. */
export function feetAndInches(cm: number): { feet: number; inches: number } {
  const totalInches = roundTo(cm / INCH_CM, 1);
  const feet = Math.floor(totalInches / 12);
  return { feet, inches: roundTo(totalInches - feet * 12, 1) };
}

/** "5 ft 9 in", "5 ft 9.5 in", "6 ft 0 in". */
export function formatFeetAndInches(cm: number): string {
  const { feet, inches } = feetAndInches(cm);
  return `${feet} ft ${inches} in`;
}

/**
 * A height typed as feet and inches, in cm, or null when it is not one: "5 ft 9 in", "5ft 9.5in",
 * `5' 9"`, "5 9", "5 ft", "5'". Feet are whole; inches are below 12 (a comma may be the decimal mark).
 */
export function parseFeetAndInches(text: string): number | null {
  const match =
    /^\s*(\d{1,2})\s*(?:ft|feet|foot|'|’|\s)\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:in|inches|inch|"|”|'')?)?\s*$/i.exec(
      text,
    );
  if (!match) return null;
  const feet = Number(match[1]);
  const inches = match[2] === undefined ? 0 : Number(match[2].replace(',', '.'));
  if (inches >= 12) return null;
  return (feet * 12 + inches) * INCH_CM;
}
