/**
 * Main's half of a file dropped on the Electron window (wireDroppedFiles): the preload sends the path it
 * found with webUtils; main takes it only from the app's own top-level frame, only as an absolute path,
 * and passes it to the core as the window host's word (CallContext.droppedFile), never as a request
 * field. ipcMain and the sender frame are stand-ins (no Electron binary here).
 */
import { describe, expect, it } from 'vitest';
import { wireDroppedFiles } from '../../../main/app/ipc';
import { APP_ORIGIN } from '../../../main/security/content-security-policy';
import { DROP_CHANNEL } from '../../../shared/ipc/transport';

type DropHandler = (event: unknown, filePath: unknown) => Promise<unknown>;

function wired() {
  const calls: unknown[][] = [];
  let handler: DropHandler | undefined;
  wireDroppedFiles(
    { handle: (name: string, h: DropHandler) => (expect(name).toBe(DROP_CHANNEL), (handler = h)) } as never,
    { invoke: async (...args: unknown[]) => (calls.push(args), { ok: true, value: 'held' }) },
  );
  const from = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent }, sender: { id: 3 } });
  return { calls, drop: (event: unknown, p: unknown) => handler!(event, p), from };
}

describe('a file dropped on the Electron window', () => {
  it('reaches the core as the host’s dropped file, with its name', async () => {
    const { calls, drop, from } = wired();
    expect(await drop(from(`${APP_ORIGIN}/index.html`), '/home/nurse/Downloads/cuff.csv')).toEqual({
      ok: true,
      value: 'held',
    });
    expect(calls).toEqual([
      [
        'homeData.acceptDrop',
        {},
        {
          senderId: 'webcontents-3',
          droppedFile: { path: '/home/nurse/Downloads/cuff.csv', fileName: 'cuff.csv' },
        },
      ],
    ]);
  });

  it('refuses another frame, and anything but an absolute path, before the core runs', async () => {
    const { calls, drop, from } = wired();
    expect(await drop(from('https://evil.example/'), '/etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await drop(from(`${APP_ORIGIN}/`, { url: APP_ORIGIN }), '/etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    for (const bad of [
      '',
      'cuff.csv',
      '../../etc/passwd',
      42,
      { path: '/etc/passwd' },
      `/${'a'.repeat(5000)}`,
    ])
      expect(await drop(from(`${APP_ORIGIN}/`), bad)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    expect(calls).toEqual([]);
  });
});
