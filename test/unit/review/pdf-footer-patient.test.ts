import { describe, expect, it } from 'vitest';
import { pdfFooterTemplate } from '../../../main/ipc/handlers/review-host';

describe('the printed summary footer names the patient', () => {
  it('puts whose summary it is on every page, beside who printed it', () => {
    const footer = pdfFooterTemplate(
      'Dr Amara Diallo (clinician)',
      '1 Dec 2026, 09:43',
      'ABARA, Ngozi · born 1950-02-03 · MRN PR-7731',
    );
    expect(footer).toContain('<strong>ABARA, Ngozi · born 1950-02-03 · MRN PR-7731</strong>');
    expect(footer.indexOf('ABARA')).toBeLessThan(footer.indexOf('Printed by'));
  });

  it('prints a name holding markup as text (the footer is rendered as HTML)', () => {
    const footer = pdfFooterTemplate('Dr A (clinician)', 'now', `O'<b>Brien</b>, Sean · MRN 1`);
    expect(footer).not.toContain('<b>');
    expect(footer).toContain('O&#39;&#60;b&#62;Brien&#60;/b&#62;, Sean · MRN 1');
  });
});
