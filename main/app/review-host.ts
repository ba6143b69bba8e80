import { writeFile } from 'node:fs/promises';
import type { Dialog, Shell, WebContents } from 'electron';
import { checkVideoLink } from '../../shared/visit/video-link';
import type { ReviewHost } from '../ipc/handlers/review-host';
import { PDF_PAGE } from '../ipc/handlers/review-host';

const MM_PER_INCH = 25.4;

/**
 * The review's host services in Electron: a video link main has checked opens in the system browser
 * (checked again here, the last step before leaving the app), and the calling window prints to PDF
 * with webContents.printToPDF, saved where the user chooses.
 */
export function electronReviewHost(deps: {
  shell: Pick<Shell, 'openExternal'>;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The window's webContents from the sender id wireIpc gives calls (`webcontents-<id>`). */
  webContentsOf: (id: number) => WebContents | undefined;
}): ReviewHost {
  const sender = (senderId: string): WebContents => {
    const match = /^webcontents-(\d+)$/.exec(senderId);
    const contents = match ? deps.webContentsOf(Number(match[1])) : undefined;
    if (!contents || contents.isDestroyed()) throw new Error('The window that asked is closed.');
    return contents;
  };
  return {
    async openExternal(url) {
      const checked = checkVideoLink(url);
      if (!checked.ok) throw new Error(checked.reason);
      await deps.shell.openExternal(checked.url);
    },
    async printToPdf(senderId, { footerTemplate, fileName }) {
      const contents = sender(senderId);
      const m = PDF_PAGE.marginMm;
      const pdf = await contents.printToPDF({
        pageSize: PDF_PAGE.format,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate,
        margins: {
          top: m.top / MM_PER_INCH,
          bottom: m.bottom / MM_PER_INCH,
          left: m.left / MM_PER_INCH,
          right: m.right / MM_PER_INCH,
        },
      });
      const choice = await deps.dialog.showSaveDialog({
        title: 'Save the visit summary',
        defaultPath: fileName,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      if (choice.canceled || !choice.filePath) return { savedTo: null, pdf };
      await writeFile(choice.filePath, pdf, { mode: 0o600 });
      return { savedTo: choice.filePath, pdf };
    },
  };
}
