import { useEffect, useState } from 'react';
import { modalDialogOpen } from '../ui/useShortcut';
import { ROUTES, routeFromHash, type RouteId } from './routes';

/** Hash routing (no server, no history API needed) with Alt+1..4 shortcuts. */
export function useRoute(): [RouteId, (route: RouteId) => void] {
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash));
  useEffect(() => {
    // Shown again (after a lock or another user's turn): the address follows this user's own screen.
    if (routeFromHash(window.location.hash) !== route) window.location.hash = `#/${route}`;
    const onHash = () => setRoute(routeFromHash(window.location.hash));
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = ROUTES.find((r) => r.shortcut === event.key);
      if (target) {
        event.preventDefault();
        // Not from behind a modal dialog: its work would be hidden away mid-way.
        if (!modalDialogOpen()) window.location.hash = `#/${target.id}`;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
    // Only on showing: later changes come from the address itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [route, (next) => (window.location.hash = `#/${next}`)];
}
