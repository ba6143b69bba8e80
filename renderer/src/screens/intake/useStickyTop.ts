import { useEffect, type RefObject } from 'react';

/** What stays at the top while the page scrolls: a control under it is hidden, not seen. */
export const STICKY_TOP = '.patient-banner, .visit-panel';

/**
 * The patient banner and the visit strip stay at the top while the vital cards scroll under them. Their
 * heights (which change as the banner wraps or the strip shows an error) are given to the stylesheet:
 * the strip sticks just under the banner, and the page keeps a keyboard-focused field and its label
 * below both instead of under them.
 */
export function useStickyTop(container: RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const root = container.current;
    if (!active || !root) return;
    const page = document.documentElement;
    const measure = () => {
      const banner = root.querySelector<HTMLElement>('.patient-banner');
      const strip = root.querySelector<HTMLElement>('.visit-panel');
      const bannerHeight = banner?.offsetHeight ?? 0;
      root.style.setProperty('--patient-banner-height', `${bannerHeight}px`);
      // Room under both for a field's label above it, so a field reached by Tab is seen with its name.
      const below = bannerHeight + (strip?.offsetHeight ?? 0);
      page.style.setProperty('--intake-scroll-padding', `calc(${below}px + 2rem)`);
    };
    measure();
    const observer = new ResizeObserver(measure);
    // The strip is replaced when a visit starts or finishes: watch the container's children too.
    const watch = () => {
      observer.disconnect();
      for (const el of root.querySelectorAll(STICKY_TOP)) observer.observe(el);
      measure();
    };
    watch();
    const children = new MutationObserver(watch);
    children.observe(root, { childList: true });
    return () => {
      observer.disconnect();
      children.disconnect();
      page.style.removeProperty('--intake-scroll-padding');
    };
  }, [container, active]);
}
