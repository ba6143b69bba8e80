/**
 * What makes an observation's value acceptable for its kind: the right shape (a number, a code, or
 * components) and a plausible value (shared/clinical/plausibility.ts). Pure; used on record and amend.
 */
import { AppError } from '../../../shared/ipc';
import { checkBloodPressure, checkPlausible } from '../../../shared/clinical/plausibility';
import { VITALS, type VitalKind } from '../../../shared/clinical/vital-signs';
import {
  ALLOWED_COMPONENTS,
  codeOfKind,
  type ObservationComponent,
  type ObservationKind,
  type ObservationValue,
} from '../../../shared/records';

export interface CheckedValue {
  code: string;
  unit: string | null;
  value: number | null;
  valueCode: ObservationValue['valueCode'] | null;
  components: ObservationComponent[];
  bodySite: string | null;
}

function refuse(path: string, message: string): never {
  throw new AppError('VALIDATION', message, [{ path, message }]);
}

function plausible(kind: VitalKind, value: number, path: string): void {
  const result = checkPlausible(kind, value);
  if (!result.ok) refuse(path, result.message);
}

export function checkObservationValue(kind: ObservationKind, input: ObservationValue): CheckedValue {
  const { code, unit } = codeOfKind(kind);
  const allowed = ALLOWED_COMPONENTS[kind] ?? [];
  const components: ObservationComponent[] = [];
  const seen = new Set<VitalKind>();
  (input.components ?? []).forEach((c, i) => {
    if (!allowed.includes(c.kind))
      refuse(`components.${i}.kind`, `${VITALS[c.kind].display} does not belong here.`);
    if (seen.has(c.kind)) refuse(`components.${i}.kind`, `${VITALS[c.kind].display} is given twice.`);
    seen.add(c.kind);
    plausible(c.kind, c.value, `components.${i}.value`);
    components.push({ kind: c.kind, code: VITALS[c.kind].loinc, value: c.value, unit: VITALS[c.kind].unit });
  });
  const bodySite = input.bodySite ?? null;

  if (kind === 'bloodPressure') {
    if (input.value !== undefined || input.valueCode !== undefined)
      refuse('value', 'A blood pressure is given as systolic and diastolic values.');
    const sys = components.find((c) => c.kind === 'systolic');
    const dia = components.find((c) => c.kind === 'diastolic');
    if (!sys || !dia)
      refuse('components', 'A blood pressure needs both the systolic and the diastolic value.');
    const bp = checkBloodPressure(sys.value, dia.value);
    if (!bp.ok) refuse('components', bp.message);
    return { code, unit, value: null, valueCode: null, components, bodySite };
  }
  if (kind === 'consciousness') {
    if (input.valueCode === undefined)
      refuse('valueCode', 'Choose the level of consciousness (A, C, V, P or U).');
    if (input.value !== undefined) refuse('value', 'The level of consciousness is a letter, not a number.');
    return { code, unit, value: null, valueCode: input.valueCode, components, bodySite };
  }
  if (input.value === undefined) refuse('value', `Enter the ${VITALS[kind].display.toLowerCase()}.`);
  if (input.valueCode !== undefined) refuse('valueCode', 'Only the level of consciousness takes a letter.');
  plausible(kind, input.value, 'value');
  return { code, unit, value: input.value, valueCode: null, components, bodySite };
}
