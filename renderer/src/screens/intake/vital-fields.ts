/**
 * The intake vitals panel, field by field: what each card records, how it is entered, its shortcut.
 * Conversion, plausibility and flags come from shared/clinical, so main and the screen agree.
 */
import { checkBloodPressure, checkPlausible } from '../../../../shared/clinical/plausibility';
import { meanArterialPressure } from '../../../../shared/clinical/derived';
import {
  FEET_AND_INCHES,
  parseFeetAndInches,
  roundTo,
  toCanonical,
  unitOptions,
  type UnitOption,
} from '../../../../shared/clinical/units';
import type { VitalKind } from '../../../../shared/clinical/vital-signs';
import type { ObservationKind, ObservationValue } from '../../../../shared/records';

export type EntryShape = 'number' | 'bloodPressure' | 'spo2' | 'consciousness';

export interface VitalField {
  kind: ObservationKind;
  label: string;
  shape: EntryShape;
  /** The vital whose units and ranges the main entry uses. */
  vital?: VitalKind;
  /** Alt+<digit> moves focus to the card's entry. */
  shortcut: string;
  /** Temperature: where it was taken. */
  sites?: readonly string[];
}

export const VITAL_FIELDS: readonly VitalField[] = [
  { kind: 'heartRate', label: 'Heart rate', shape: 'number', vital: 'heartRate', shortcut: '5' },
  {
    kind: 'bloodPressure',
    label: 'Blood pressure',
    shape: 'bloodPressure',
    vital: 'systolic',
    shortcut: '6',
  },
  { kind: 'spo2', label: 'SpO₂', shape: 'spo2', vital: 'spo2', shortcut: '7' },
  {
    kind: 'bodyTemperature',
    label: 'Temperature',
    shape: 'number',
    vital: 'bodyTemperature',
    shortcut: '8',
    sites: ['oral', 'tympanic', 'axillary', 'temporal', 'rectal'],
  },
  {
    kind: 'respiratoryRate',
    label: 'Respiratory rate',
    shape: 'number',
    vital: 'respiratoryRate',
    shortcut: '9',
  },
  { kind: 'consciousness', label: 'Consciousness (ACVPU)', shape: 'consciousness', shortcut: '0' },
  { kind: 'bodyWeight', label: 'Weight', shape: 'number', vital: 'bodyWeight', shortcut: 'w' },
  { kind: 'bodyHeight', label: 'Height', shape: 'number', vital: 'bodyHeight', shortcut: 'h' },
  { kind: 'painScore', label: 'Pain (0–10)', shape: 'number', vital: 'painScore', shortcut: 'k' },
  { kind: 'glucose', label: 'Glucose', shape: 'number', vital: 'glucose', shortcut: 'g' },
];

/** The units a card offers: the vital's own, and for height also feet and inches. */
export function entryUnits(vital: VitalKind): readonly UnitOption[] {
  const units = unitOptions(vital);
  return vital === 'bodyHeight'
    ? [...units, { code: FEET_AND_INCHES, label: 'ft + in', decimals: 1 }]
    : units;
}

/** What the nurse typed, before it is checked. */
export interface Draft {
  value: string;
  second: string;
  unit: string;
  site: string;
  onOxygen: boolean;
  flow: string;
  code: string;
}

export type DraftCheck = { ok: true; value: ObservationValue } | { ok: false; message: string };

/** "37,2" is how half of Europe types 37.2; anything else that is not a number is refused. */
export function parseNumber(text: string): number | null {
  const normalised = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return null;
  return Number(normalised);
}

/** Turns a draft into the value to record, in canonical units, or says in words what is wrong. */
export function checkDraft(field: VitalField, draft: Draft): DraftCheck {
  switch (field.shape) {
    case 'consciousness':
      return draft.code
        ? { ok: true, value: { valueCode: draft.code as NonNullable<ObservationValue['valueCode']> } }
        : { ok: false, message: 'Choose the level of consciousness.' };
    case 'bloodPressure': {
      const sysRaw = parseNumber(draft.value);
      const diaRaw = parseNumber(draft.second);
      if (sysRaw === null || diaRaw === null)
        return { ok: false, message: 'Enter the systolic and the diastolic pressure as numbers.' };
      const sys = roundTo(toCanonical('systolic', sysRaw, draft.unit), 0);
      const dia = roundTo(toCanonical('diastolic', diaRaw, draft.unit), 0);
      for (const [kind, v] of [
        ['systolic', sys],
        ['diastolic', dia],
      ] as const) {
        const plausible = checkPlausible(kind, v);
        if (!plausible.ok) return plausible;
      }
      const bp = checkBloodPressure(sys, dia);
      if (!bp.ok) return bp;
      return {
        ok: true,
        value: {
          components: [
            { kind: 'systolic', value: sys },
            { kind: 'diastolic', value: dia },
            { kind: 'meanArterialPressure', value: roundTo(meanArterialPressure(sys, dia), 0) },
          ],
        },
      };
    }
    case 'spo2':
    case 'number': {
      const vital = field.vital;
      if (!vital) return { ok: false, message: 'This field cannot take a number.' };
      let value: number;
      if (draft.unit === FEET_AND_INCHES) {
        const cm = parseFeetAndInches(draft.value);
        if (cm === null)
          return { ok: false, message: 'Enter the height in feet and inches, such as 5 ft 9 in.' };
        value = cm;
      } else {
        const raw = parseNumber(draft.value);
        if (raw === null)
          return { ok: false, message: `Enter the ${field.label.toLowerCase()} as a number.` };
        value = toCanonical(vital, raw, draft.unit);
      }
      const plausible = checkPlausible(vital, value);
      if (!plausible.ok) return plausible;
      if (field.shape === 'spo2' && draft.onOxygen) {
        const flow = parseNumber(draft.flow);
        if (flow === null || flow <= 0)
          return { ok: false, message: 'On oxygen: enter the oxygen flow in L/min.' };
        const flowCheck = checkPlausible('inhaledOxygenFlow', flow);
        if (!flowCheck.ok) return flowCheck;
        return { ok: true, value: { value, components: [{ kind: 'inhaledOxygenFlow', value: flow }] } };
      }
      return { ok: true, value: { value, ...(draft.site ? { bodySite: draft.site } : {}) } };
    }
  }
}
