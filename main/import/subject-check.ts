/**
 * Is this export the patient's? The chart's name, birth date and sex beside what the file states; only
 * details both sides state are compared. Names printed in the file (a watch ECG's) are compared here and
 * go no further: neither the preview nor the database ever carries them.
 */
import type { SubjectCheck } from '../../shared/home-data/import-summary';
import { samePersonName } from '../../shared/home-data/person-name';
import type { ExportSubject } from '../../shared/home-data/record';

export interface ChartSubject {
  birthDate: string;
  sex: string;
  given: string;
  family: string;
}

export function checkSubject(
  subject: ExportSubject | null,
  patient: ChartSubject,
  printedNames: Iterable<string> = [],
): SubjectCheck {
  const mismatches: SubjectCheck['mismatches'] = [];
  for (const name of printedNames) {
    if (!samePersonName(name, patient)) {
      mismatches.push('name');
      break;
    }
  }
  if (subject?.birthDate && subject.birthDate.slice(0, 10) !== patient.birthDate.slice(0, 10)) {
    mismatches.push('birth date');
  }
  if (subject?.sex && patient.sex !== 'unknown' && subject.sex !== patient.sex) mismatches.push('sex');
  return { subject: subject ? { ...subject } : null, mismatches };
}
