import { describe, expect, it } from 'vitest';
import { pdfFooterTemplate, pdfPageCount } from '../../../main/ipc/handlers/review-host';

describe('the printed summary footer', () => {
  it('says who printed it and when, with Chromium page-number fields', () => {
    const footer = pdfFooterTemplate('Dr Amara Diallo (clinician)', '1 Dec 2026, 09:43');
    expect(footer).toContain('Printed by Dr Amara Diallo (clinician) at 1 Dec 2026, 09:43');
    expect(footer).toContain('Page <span class="pageNumber"></span> of <span class="totalPages"></span>');
  });

  it('prints a staff name with markup as text, never as HTML (the footer is rendered as HTML)', () => {
    const footer = pdfFooterTemplate('<img src=x onerror="fetch(1)"><span class="totalPages">', 'now');
    expect(footer).not.toContain('<img');
    expect(footer).toContain('&#60;img src=x onerror=&#34;fetch(1)&#34;&#62;');
    // Only the two page-number fields remain as markup.
    expect(footer.match(/class="(pageNumber|totalPages)"/g)).toEqual([
      'class="pageNumber"',
      'class="totalPages"',
    ]);
  });

  it('counts the pages of a PDF, not its page tree', () => {
    expect(pdfPageCount(Buffer.from('<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page>>'))).toBe(
      2,
    );
  });
});
