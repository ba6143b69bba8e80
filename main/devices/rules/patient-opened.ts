/**
 * The opened-patient rule: a live device value is filed for a patient only if it reached the
 * workstation while the pressing window's desk showed that patient. A cuff's result that arrives as
 * the nurse moves on to the next patient stays acceptable for 30 s, and the same card on the next
 * patient's screen would otherwise offer it: the previous patient's blood pressure in this one's
 * chart. Starting or attaching a visit for the same patient does not change whose it is. Pure.
 */
export type PatientOpenedVerdict = { acceptable: true } | { acceptable: false; reason: 'before-opened' };

export function judgePatientOpened(facts: {
  receivedAt: Date;
  /**
   * Since when the pressing window's desk has shown this patient (whoever is signed in: the patient on
   * the screen is what matters); undefined when main does not know what the window shows (a caller
   * without a desk), in which case the other rules alone decide.
   */
  patientShownSince: Date | undefined;
}): PatientOpenedVerdict {
  if (facts.patientShownSince === undefined) return { acceptable: true };
  // Strictly before: a value of the same millisecond is taken (a clock held still in a test gives every
  // event one time; a real one rarely does, and the card has just shown this patient either way).
  if (facts.receivedAt.getTime() < facts.patientShownSince.getTime())
    return { acceptable: false, reason: 'before-opened' };
  return { acceptable: true };
}
