/**
 * `npm run start:chromium` without a display says how to run it instead of failing inside Chromium,
 * and its application window ignores the reload keys (a reload would drop unsaved work). The key
 * handler is the very script the host installs, run here against a stand-in for the page's window.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_RELOAD_KEYS, missingDisplayMessage } from '../../../scripts/chromium-app-window';

describe('no display', () => {
  it('names xvfb-run and the headless switch when Linux has neither X nor Wayland', () => {
    const message = missingDisplayMessage({}, 'linux');
    expect(message).toMatch(/no display/);
    expect(message).toContain('xvfb-run -a npm run start:chromium');
    expect(message).toContain('HEADLESS=1 npm run start:chromium');
  });

  it('says nothing when there is a display, or on systems without X', () => {
    expect(missingDisplayMessage({ DISPLAY: ':0' }, 'linux')).toBeUndefined();
    expect(missingDisplayMessage({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeUndefined();
    expect(missingDisplayMessage({}, 'darwin')).toBeUndefined();
    expect(missingDisplayMessage({}, 'win32')).toBeUndefined();
  });
});

describe('reload keys in the application window', () => {
  function press(key: string, mods: { ctrlKey?: boolean; metaKey?: boolean } = {}): boolean {
    let handler: ((e: unknown) => void) | undefined;
    const addEventListener = (type: string, fn: (e: unknown) => void) => {
      if (type === 'keydown') handler = fn;
    };
    new Function('addEventListener', BLOCK_RELOAD_KEYS)(addEventListener);
    let prevented = false;
    handler?.({
      key,
      ctrlKey: false,
      metaKey: false,
      ...mods,
      preventDefault: () => (prevented = true),
      stopImmediatePropagation: () => undefined,
    });
    return prevented;
  }

  it('swallows F5, Ctrl+R, Ctrl+Shift+R and Cmd+R', () => {
    expect(press('F5')).toBe(true);
    expect(press('r', { ctrlKey: true })).toBe(true);
    expect(press('R', { ctrlKey: true })).toBe(true);
    expect(press('r', { metaKey: true })).toBe(true);
  });

  it('leaves typing alone: r, Ctrl+S, Enter', () => {
    expect(press('r')).toBe(false);
    expect(press('s', { ctrlKey: true })).toBe(false);
    expect(press('Enter')).toBe(false);
  });
});
