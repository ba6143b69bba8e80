/**
 * What the intake card asks before saving a typed value that is rare (outer band) or a jump from the
 * patient's last value: the sentences, the confirmations a save needs, and the value in another unit when
 * that explains the jump. The rules themselves are in shared/clinical, shared with main.
 */
import {
  confirmationFindings,
  confirmationsNeeded,
  type Confirmation,
} from '../../../../shared/clinical/confirmation';
import { jumpQuestion, suggestionText } from '../../../../shared/clinical/jump-check';
import { outerBandQuestion } from '../../../../shared/clinical/outer-band';
import { formatVitalPlain, isSupportedUnit } from '../../../../shared/clinical/units';
import { VITALS, type VitalKind } from '../../../../shared/clinical/vital-signs';
import type { Observation, ObservationValue } from '../../../../shared/records';
import type { VitalField } from './vital-fields';

export interface EntryQuestion {
  /** One sentence per finding: "Respiratory rate 2 breaths/min is below 6 breaths/min. …". */
  readonly sentences: readonly string[];
  /** "Save 2 breaths/min": saves what was entered, with the confirmations it needs. */
  readonly saveLabel: string;
  /** "Save 187 lb (84.8 kg)": the typed number in another unit, when that explains a jump. */
  readonly alternativeLabel?: string | undefined;
}

export interface PendingEntry {
  readonly value: ObservationValue;
  readonly confirmations: readonly Confirmation[];
  readonly question: EntryQuestion;
  /** The typed number read in the unit that explains the jump, ready to save instead. */
  readonly alternative: ObservationValue | null;
}

/** The question to ask before saving `value`, or null when it can be saved at once. */
export function entryQuestion(input: {
  field: VitalField;
  value: ObservationValue;
  enteredUnit: string;
  latest: Observation | undefined;
  now: Date;
}): PendingEntry | null {
  const { field, value, enteredUnit, latest, now } = input;
  const findings = confirmationFindings({
    next: { kind: field.kind, value: value.value, components: value.components },
    previous: latest,
    at: now,
    checkJumps: true,
    enteredUnit,
  });
  const confirmations = confirmationsNeeded(findings);
  if (confirmations.length === 0) return null;
  const unitFor = (kind: VitalKind) => (isSupportedUnit(kind, enteredUnit) ? enteredUnit : undefined);
  const sentences = [
    ...findings.outerBand.map((f) => outerBandQuestion(f, unitFor(f.kind))),
    // A blood pressure has two sides: say which one jumped.
    ...findings.jumps.map((f) =>
      f.kind === field.vital && field.shape !== 'bloodPressure'
        ? jumpQuestion(f, now)
        : `${VITALS[f.kind].display}: ${jumpQuestion(f, now)}`,
    ),
  ];
  // Another unit is offered only for a single typed number, where it is unambiguous what to replace.
  const jump = field.shape === 'number' ? findings.jumps.find((j) => j.suggestion) : undefined;
  const alternative = jump?.suggestion ? { ...value, value: jump.suggestion.value } : null;
  const shown = enteredText(field, value, unitFor);
  return {
    value,
    confirmations,
    question: {
      sentences,
      saveLabel: `Save ${shown}`,
      alternativeLabel: alternative && jump ? `Save ${suggestionText(jump)}` : undefined,
    },
    alternative,
  };
}

/** The question for main's own refusal (the screen's copy of the latest value was out of date). */
export function refusalQuestion(
  value: ObservationValue,
  messages: readonly string[],
  confirmations: readonly Confirmation[],
): PendingEntry {
  return {
    value,
    confirmations,
    question: { sentences: messages, saveLabel: 'Save anyway' },
    alternative: null,
  };
}

/** "2 breaths/min", "232/96 mmHg": what the nurse entered, in the unit it was entered in. */
function enteredText(
  field: VitalField,
  value: ObservationValue,
  unitFor: (kind: VitalKind) => string | undefined,
): string {
  if (field.vital && value.value !== undefined)
    return formatVitalPlain(field.vital, value.value, unitFor(field.vital));
  const part = (kind: VitalKind) => value.components?.find((c) => c.kind === kind)?.value;
  const sys = part('systolic');
  const dia = part('diastolic');
  if (sys === undefined || dia === undefined) return 'as entered';
  const [sysText] = formatVitalPlain('systolic', sys, unitFor('systolic')).split(' ');
  return `${sysText}/${formatVitalPlain('diastolic', dia, unitFor('diastolic'))}`;
}
