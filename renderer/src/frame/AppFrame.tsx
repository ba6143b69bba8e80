import type { ReactNode } from 'react';
import type { Health } from '../../../shared/ipc/channels/app';
import { ROUTES, type RouteId } from './routes';

export function AppFrame(props: {
  health: Health | null;
  alive: boolean;
  route: RouteId;
  onNavigate: (route: RouteId) => void;
  /** The routes the signed-in role may use (the renderer hides the rest; main refuses them anyway). */
  visibleRoutes?: readonly RouteId[];
  /** Who is signed in, with Lock and Sign out. */
  session?: ReactNode;
  children: ReactNode;
}) {
  const { health, alive, route, onNavigate, children } = props;
  const place = health ? `${health.clinicName} · ${health.workstationName}` : null;
  const routes = props.visibleRoutes ? ROUTES.filter((r) => props.visibleRoutes!.includes(r.id)) : ROUTES;
  return (
    <div className="app-frame">
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Vitals Desk</span>
          {/* A long clinic name is cut short on a narrow screen; the tooltip shows it whole. */}
          <span className="workstation" data-testid="workstation" title={place ?? undefined}>
            {place ?? 'Connecting…'}
          </span>
        </div>
        <nav aria-label="Main">
          <ul className="nav-list">
            {routes.map((r) => (
              <li key={r.id}>
                <a
                  href={`#/${r.id}`}
                  aria-current={route === r.id ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    onNavigate(r.id);
                  }}
                >
                  {r.label}
                  <kbd aria-hidden="true">Alt+{r.shortcut}</kbd>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {props.session}
        <div className={`core-status ${alive ? 'ok' : 'down'}`} role="status" aria-live="polite">
          {/* "Connected" alone on screen leaves the header's room to names; a screen reader hears it whole. */}
          {alive ? (
            <>
              <span className="visually-hidden">Workstation </span>
              <span className="capitalised">connected</span>
            </>
          ) : (
            'Workstation not responding'
          )}
        </div>
      </header>
      <main className="app-main" id="main">
        {children}
      </main>
    </div>
  );
}
