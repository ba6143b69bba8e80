import { useEffect, type RefObject } from 'react';
import { STICKY_TOP } from './useStickyTop';
/** Keys that scroll the page when the focused element does not use them itself. */
const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown', ' ']);

/** Whether the element uses the scrolling keys itself (a field, a list), so they do not scroll the page. */
function usesScrollKeys(el: EventTarget | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.isContentEditable || el.matches('input, textarea, select, [role="listbox"], [role="slider"]'))
  );
}

/**
 * A keyboard-driven nurse keeps her place: when a message, a hint or a device value appears or goes
 * above the control she has focused and moves it, or the window is made narrower, the page follows so
 * the control stays wholly in the window and below the banner and visit strip (WCAG 2.4.11). If she
 * scrolled away from it herself (wheel, scroll bar, touch, Page Down), the page is left where she put
 * it until she focuses or types again. Runs after layout and before the frame is drawn, so she never
 * sees the control leave.
 */
export function useFocusKeptInView(container: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const root = container.current;
    if (!active || !root) return;
    let scrolledAway = false;
    const focused = (): HTMLElement | null => {
      const el = document.activeElement;
      if (!(el instanceof HTMLElement) || !root.contains(el) || el.closest(STICKY_TOP)) return null;
      return el;
    };
    const stickyBottom = () =>
      Math.max(0, ...[...root.querySelectorAll(STICKY_TOP)].map((el) => el.getBoundingClientRect().bottom));
    const inView = (el: HTMLElement) => {
      const r = el.getBoundingClientRect();
      return r.top >= stickyBottom() - 1 && r.bottom <= window.innerHeight + 1;
    };
    // The page moves the least that shows the control whole ('nearest'): up to the window's bottom, or
    // down to just below the strip with room for the field's label, as a field reached by Tab is shown.
    const keep = () => {
      const el = focused();
      if (!el || scrolledAway || inView(el)) return;
      const r = el.getBoundingClientRect();
      const top = stickyBottom();
      const labelRoom = 2 * parseFloat(getComputedStyle(document.documentElement).fontSize);
      const by = r.top < top ? r.top - top - labelRoom : Math.min(r.bottom - window.innerHeight, r.top - top);
      window.scrollBy({ top: by, behavior: 'instant' });
    };
    const resized = new ResizeObserver(keep);
    // Anything above the control that grows or shrinks resizes the page, a card row, or the line itself.
    const watch = () => {
      resized.disconnect();
      resized.observe(root);
      for (const el of root.children) resized.observe(el);
      for (const el of root.querySelectorAll('.intake-body > *, .vitals-grid > *')) resized.observe(el);
    };
    watch();
    // A line or card put in or taken out of the page, the grid or the cards' column: watch it too.
    const isContainer = (target: Node) =>
      target === root || (target instanceof Element && target.matches('.intake-body, .vitals-grid'));
    const added = new MutationObserver((changes) => {
      if (changes.some((c) => isContainer(c.target))) watch();
    });
    added.observe(root, { childList: true, subtree: true });
    // Her own scrolling is kept; focusing or typing means she is back at the control.
    const away = () => {
      scrolledAway = true;
    };
    const back = () => {
      scrolledAway = false;
    };
    const key = (e: KeyboardEvent) => {
      if (SCROLL_KEYS.has(e.key) && !e.altKey && !usesScrollKeys(e.target)) away();
      else back();
    };
    // A press on the page's scroll bar is aimed at the document element itself.
    const pointer = (e: PointerEvent) => {
      if (e.target === document.documentElement) away();
    };
    document.addEventListener('focusin', back);
    document.addEventListener('keydown', key, true);
    window.addEventListener('wheel', away, { passive: true });
    window.addEventListener('touchmove', away, { passive: true });
    window.addEventListener('pointerdown', pointer, true);
    return () => {
      resized.disconnect();
      added.disconnect();
      document.removeEventListener('focusin', back);
      document.removeEventListener('keydown', key, true);
      window.removeEventListener('wheel', away);
      window.removeEventListener('touchmove', away);
      window.removeEventListener('pointerdown', pointer, true);
    };
  }, [container, active]);
}
