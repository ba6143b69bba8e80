/** Dates and times as a nurse reads them; patients' names as a chart header writes them. */
import type { Patient } from '../../../shared/records';
import { ageInYears } from '../../../shared/clinical/derived';

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

export function patientName(patient: Pick<Patient, 'family' | 'given'>): string {
  return `${patient.family.toUpperCase()}, ${patient.given}`;
}

const SEX_WORDS: Record<Patient['sex'], string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown sex',
};

export function sexWord(sex: Patient['sex']): string {
  return SEX_WORDS[sex];
}

/** "42 y" (today, local calendar date). */
export function ageText(birthDate: string, today: Date = new Date()): string {
  const local = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  try {
    return `${ageInYears(birthDate, local)} y`;
  } catch {
    return '';
  }
}
