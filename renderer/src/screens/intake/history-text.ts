import { FEET_AND_INCHES, formatFeetAndInches, formatVitalPlain } from '../../../../shared/clinical/units';
import { VITALS } from '../../../../shared/clinical/vital-signs';
import type { Observation } from '../../../../shared/records';
import type { VitalField } from './vital-fields';

/**
 * A single-number value in History: in the card's unit and, when that is not the unit it is stored in,
 * in that one too ("187 lb (84.8 kg)"), so what was typed and what was kept can both be checked. Null
 * for values that are not one number (blood pressure, SpO₂ with its oxygen, consciousness).
 */
export function quantityText(field: VitalField, o: Observation, unit: string): string | null {
  const vital = field.vital;
  if (!vital || o.value === null || field.shape !== 'number') return null;
  const canonical = VITALS[vital].unit;
  const shown = unit && unit !== canonical ? unit : canonical;
  let text =
    shown === FEET_AND_INCHES ? formatFeetAndInches(o.value) : formatVitalPlain(vital, o.value, shown);
  if (shown !== canonical) text += ` (${formatVitalPlain(vital, o.value)})`;
  if (o.bodySite) text += `, ${o.bodySite}`;
  return text;
}
