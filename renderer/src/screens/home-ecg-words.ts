import { ECG_CLASSIFICATION_WORDS, type EcgPreview } from '../../../shared/home-data/ecg';

/** "2 Sinus rhythm, 1 Atrial fibrillation": the preview's ECG counts in one line. */
export function ecgCountsText(ecgs: EcgPreview): string {
  return ecgs.byClassification
    .map((c) => `${c.count.toLocaleString()} ${ECG_CLASSIFICATION_WORDS[c.classification]}`)
    .join(', ');
}
