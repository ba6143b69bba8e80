/**
 * The Electron side of the review's host services. Electron's shell, dialog and window cannot exist
 * here, so they are recording stand-ins: what is checked is what the shell asks of them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dialog, Shell, WebContents } from 'electron';
import { electronReviewHost } from '../../../main/app/review-host';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function setUp(savePath: string | null) {
  const opened: string[] = [];
  const printed: unknown[] = [];
  const contents = {
    id: 7,
    isDestroyed: () => false,
    printToPDF: async (options: unknown) => {
      printed.push(options);
      return Buffer.from('%PDF-1.7 stand-in');
    },
  } as unknown as WebContents;
  const host = electronReviewHost({
    shell: { openExternal: async (url: string) => void opened.push(url) } as unknown as Pick<
      Shell,
      'openExternal'
    >,
    dialog: {
      showSaveDialog: async () => ({ canceled: savePath === null, filePath: savePath ?? '' }),
    } as unknown as Pick<Dialog, 'showSaveDialog'>,
    webContentsOf: (id) => (id === 7 ? contents : undefined),
  });
  return { host, opened, printed };
}

describe('Electron review host', () => {
  it('opens only https links in the system browser, checking again after main', async () => {
    const { host, opened } = setUp(null);
    await host.openExternal('https://meet.clinic.example/v/1', 'webcontents-7');
    for (const url of [
      'file:///etc/passwd',
      'http://meet.clinic.example/v/1',
      'smb://server/share',
      'https://a@b.example/',
    ])
      await expect(host.openExternal(url, 'webcontents-7')).rejects.toThrow();
    expect(opened).toEqual(['https://meet.clinic.example/v/1']);
  });

  it('prints the calling window with the footer and saves it where the user chose, owner-only', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vd-pdf-'));
    const file = path.join(dir, 'summary.pdf');
    const { host, printed } = setUp(file);
    const footerTemplate = '<span>Printed by A at B</span>';
    const result = await host.printToPdf('webcontents-7', { footerTemplate, fileName: 'visit-summary.pdf' });
    expect(result.savedTo).toBe(file);
    expect(readFileSync(file, 'latin1')).toBe('%PDF-1.7 stand-in');
    if (process.platform !== 'win32')
      expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
    expect(printed[0]).toMatchObject({
      pageSize: 'A4',
      displayHeaderFooter: true,
      footerTemplate,
      printBackground: true,
    });
    await expect(host.printToPdf('webcontents-8', { footerTemplate, fileName: 'x.pdf' })).rejects.toThrow(
      /closed/,
    );
  });

  it('saves nothing when the user cancels the dialog', async () => {
    const { host } = setUp(null);
    const result = await host.printToPdf('webcontents-7', { footerTemplate: '', fileName: 'x.pdf' });
    expect(result.savedTo).toBeNull();
  });
});
