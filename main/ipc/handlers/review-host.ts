/**
 * What the review needs from the window's host and only the host can do: open a checked link outside
 * the app, and print the calling window to PDF. The Electron shell (main/app/review-host.ts) and the
 * Chromium host (scripts/chromium-host.ts) each attach one to the core.
 */
export interface ReviewHost {
  /** Opens an https link main has checked: the system browser (Electron) or a new tab (Chromium host). */
  openExternal(url: string, senderId: string): Promise<void>;
  /**
   * Prints the calling window (print media) to an A4 PDF with this footer on every page, and saves it
   * (a save dialog in Electron). `savedTo` is null when the user cancelled.
   */
  printToPdf(
    senderId: string,
    page: { footerTemplate: string; fileName: string },
  ): Promise<{ savedTo: string | null; pdf: Uint8Array }>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The footer of every printed page: whose summary it is (name, birth date, MRN: a page that comes loose
 * still says whose it is), "Printed by … at …" and "Page n of N" (Chromium fills the pageNumber and
 * totalPages spans). Chromium's footer has no page styles, so sizes are inline.
 */
export function pdfFooterTemplate(printedBy: string, at: string, patient?: string): string {
  return (
    '<div style="font: 8pt sans-serif; color: #333; width: 100%; margin: 0 12mm; display: flex; flex-wrap: wrap; gap: 0 2mm; justify-content: space-between;">' +
    (patient ? `<strong>${escapeHtml(patient)}</strong>` : '') +
    `<span>Printed by ${escapeHtml(printedBy)} at ${escapeHtml(at)}</span>` +
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
  );
}

/** The options both hosts print with, so the two PDFs look alike. */
export const PDF_PAGE = {
  format: 'A4',
  marginMm: { top: 12, bottom: 16, left: 12, right: 12 },
} as const;

/** Pages in a PDF Chromium wrote (one `/Type /Page` object each). */
export function pdfPageCount(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page[^s]/g)?.length ?? 0
  );
}
