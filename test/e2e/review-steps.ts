/**
 * Steps the review scenarios share: a core call as a signed-in window, a patient poll for the page to
 * catch up, and counting a chart's pixels of one series colour.
 */
import { expect } from 'vitest';
import type { Core } from '../../main/core';
import type { Workstation } from './harness';

/** The window the nurse of the review scenarios signs in from. */
export const NURSE_WINDOW = 'e2e-nurse-window';

/** Calls the core as the window `senderId`, and throws with the error's code if main refuses. */
export async function call<T>(
  core: Core,
  channel: string,
  request: unknown,
  senderId = NURSE_WINDOW,
): Promise<T> {
  const result = await core.invoke(channel, request, { senderId });
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Waits for the page to catch up; generous, because the test machine may be busy. */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

/** Pixels of a chart's canvas in a colour (TrendChart's series colours), counted in the page. */
export async function pixelsOf(
  page: Workstation['page'],
  testId: string,
  rgb: [number, number, number],
): Promise<number> {
  return page.evaluate(
    ([id, [r, g, b]]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"] canvas`);
      const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      if (!data) return -1;
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          Math.abs(data[i]! - r) < 12 &&
          Math.abs(data[i + 1]! - g) < 12 &&
          Math.abs(data[i + 2]! - b) < 12 &&
          data[i + 3]! > 200
        )
          count++;
      return count;
    },
    [testId, rgb] as const,
  );
}
