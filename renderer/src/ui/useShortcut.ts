import { useEffect, useRef } from 'react';

/**
 * A modal dialog is open (every dialog here is opened modal): the screen behind it is inert, and so
 * are its shortcuts — Alt+P behind the home-data import would change patient under it and drop the
 * file, Alt+A would accept a reading the nurse cannot see.
 */
export function modalDialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/**
 * A window-wide Alt+<key> shortcut, not while a modal dialog is open. Alt keeps shortcuts from firing while the nurse types a value;
 * the key is shown next to the control it triggers.
 */
export function useAltShortcut(key: string, action: () => void, enabled = true): void {
  const actionRef = useRef(action);
  useEffect(() => {
    actionRef.current = action;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key.toLowerCase() !== key.toLowerCase() && event.code !== `Key${key.toUpperCase()}`) return;
      event.preventDefault();
      if (modalDialogOpen()) return;
      actionRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, enabled]);
}
