/**
 * Which second confirmations a new observation needs before it is saved: an outer-band value
 * (outer-band.ts) and, for values typed in, a jump from the patient's previous value (jump-check.ts).
 * The screen asks first; main refuses the same observation without the matching confirmation, so a
 * value can never be filed by a single Enter, whatever sent it.
 */
import { z } from 'zod';
import { checkJump, jumpRefusal, type JumpFinding } from './jump-check';
import { outerBandOf, outerBandRefusal, type OuterBandFinding } from './outer-band';
import { checkPlausible } from './plausibility';
import { isSupportedUnit } from './units';
import { vitalKindSchema, type VitalKind } from './vital-signs';

export const confirmationSchema = z.enum(['outer-band', 'jump']);
export type Confirmation = z.infer<typeof confirmationSchema>;

/** What a new or stored observation measures, as far as these checks need it. */
export interface Measured {
  readonly kind: string;
  readonly value?: number | null | undefined;
  readonly components?: readonly { readonly kind: VitalKind; readonly value: number }[] | undefined;
}

/** Each vital measured: the value of a single-vital kind, and every component (BP, SpO2's O2 flow). */
export function measuredValues(o: Measured): { kind: VitalKind; value: number }[] {
  const own = vitalKindSchema.safeParse(o.kind);
  const values: { kind: VitalKind; value: number }[] = [];
  if (own.success && typeof o.value === 'number') values.push({ kind: own.data, value: o.value });
  for (const c of o.components ?? []) values.push({ kind: c.kind, value: c.value });
  return values;
}

export interface ConfirmationFindings {
  readonly outerBand: readonly OuterBandFinding[];
  readonly jumps: readonly JumpFinding[];
}

/**
 * The findings for `next`, measured at `at`. `previous` is this patient's newest current observation
 * of the same kind. Jumps are checked only when `checkJumps` (values typed in: a device sends its unit
 * with its value, so it cannot mix them up). `enteredUnit` lets a jump offer the typed number in another unit.
 */
export function confirmationFindings(input: {
  next: Measured;
  previous: (Measured & { readonly effectiveAt: string }) | undefined;
  at: Date;
  checkJumps: boolean;
  enteredUnit?: string | undefined;
}): ConfirmationFindings {
  // An impossible value is refused outright elsewhere; asking to confirm it first would only delay that.
  const values = measuredValues(input.next).filter((v) => checkPlausible(v.kind, v.value).ok);
  const outerBand = values.flatMap((v) => outerBandOf(v.kind, v.value) ?? []);
  if (!input.checkJumps || !input.previous) return { outerBand, jumps: [] };
  const before = new Map(measuredValues(input.previous).map((v) => [v.kind, v.value]));
  const effectiveAt = input.previous.effectiveAt;
  const jumps = values.flatMap((v) => {
    const previous = before.get(v.kind);
    if (previous === undefined) return [];
    return (
      checkJump({
        kind: v.kind,
        value: v.value,
        previous: { value: previous, effectiveAt },
        at: input.at,
        // SpO2's oxygen flow shares the entry but not its unit.
        enteredUnit:
          input.enteredUnit && isSupportedUnit(v.kind, input.enteredUnit) ? input.enteredUnit : undefined,
      }) ?? []
    );
  });
  return { outerBand, jumps };
}

/** The confirmations the findings call for, outer band first. */
export function confirmationsNeeded(findings: ConfirmationFindings): Confirmation[] {
  return [
    ...(findings.outerBand.length ? (['outer-band'] as const) : []),
    ...(findings.jumps.length ? (['jump'] as const) : []),
  ];
}

/**
 * Main's refusal of what is still unconfirmed: one issue per finding, path `confirmed.<check>`, with a
 * sentence free of values and dates. Empty when everything needed was confirmed.
 */
export function unconfirmedIssues(
  findings: ConfirmationFindings,
  confirmed: readonly Confirmation[],
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!confirmed.includes('outer-band'))
    for (const f of findings.outerBand)
      issues.push({ path: 'confirmed.outer-band', message: outerBandRefusal(f) });
  if (!confirmed.includes('jump'))
    for (const f of findings.jumps) issues.push({ path: 'confirmed.jump', message: jumpRefusal(f) });
  return issues;
}

/** The confirmations named by a refusal's issues (what the screen must ask for before sending again). */
export function confirmationsIn(issues: readonly { path: string }[] | undefined): Confirmation[] {
  const named = new Set<Confirmation>();
  for (const issue of issues ?? []) {
    const parsed = confirmationSchema.safeParse(issue.path.replace(/^confirmed\./, ''));
    if (parsed.success) named.add(parsed.data);
  }
  return confirmationSchema.options.filter((c) => named.has(c));
}
