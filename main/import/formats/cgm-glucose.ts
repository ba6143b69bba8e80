/**
 * Glucose values of CGM exports: the unit named in the header, and the sensor's "Low"/"High" markers
 * (the value is beyond what the sensor measures; we store the limit itself and say which side).
 */
import { GLUCOSE_MGDL_PER_MMOLL } from '../../../shared/clinical/units';

export type GlucoseUnit = 'mg/dL' | 'mmol/L';

export function glucoseUnitOf(headerCell: string): GlucoseUnit | undefined {
  const m = /\((mg\/dl|mmol\/l)\)|\b(mg\/dl|mmol\/l)\s*$/i.exec(headerCell.trim());
  const unit = (m?.[1] ?? m?.[2])?.toLowerCase();
  if (unit === 'mg/dl') return 'mg/dL';
  if (unit === 'mmol/l') return 'mmol/L';
  return undefined;
}

export function toMgDl(value: number, unit: GlucoseUnit): number {
  // Rounded to 0.1 mg/dL: the conversion must not invent precision the sensor does not have.
  return unit === 'mg/dL' ? value : Math.round(value * GLUCOSE_MGDL_PER_MMOLL * 10) / 10;
}

/** A decimal as written in either locale ("5,6" in a European export). */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}
