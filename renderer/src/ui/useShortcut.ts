import { useEffect, useRef } from 'react';

/**
 * A window-wide Alt+<key> shortcut. Alt keeps shortcuts from firing while the nurse types a value;
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
      actionRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, enabled]);
}
