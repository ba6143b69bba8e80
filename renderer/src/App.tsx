import { Activity, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { AuthStatus, SignedInUser } from '../../shared/ipc/channels/auth';
import type { Role } from '../../shared/ipc/contract';
import { AppFrame } from './frame/AppFrame';
import type { RouteId } from './frame/routes';
import { useHealth } from './frame/useHealth';
import { useRoute } from './frame/useRoute';
import { DevicesScreen } from './screens/devices/DevicesScreen';
import { IntakeScreen } from './screens/intake/IntakeScreen';
import { ReviewScreen } from './screens/review/ReviewScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { AdminScreen } from './screens/admin/AdminScreen';
import { AuthGate } from './screens/auth/AuthGate';
import { SessionBar } from './screens/auth/SessionBar';
import { useSignOutQuestion } from './screens/auth/SignOutQuestion';
import { SyncIndicator } from './sync/SyncIndicator';

/** What each role works on: the rest is hidden here and refused by main. Admins see no patient data. */
const ROUTES_OF_ROLE: Record<Role, readonly RouteId[]> = {
  nurse: ['intake', 'devices', 'settings'],
  clinician: ['intake', 'review', 'devices', 'settings'],
  admin: ['devices', 'settings', 'admin'],
};

export function App() {
  return <AuthGate>{(status, actions) => <UserWorkspaces status={status} actions={actions} />}</AuthGate>;
}

/**
 * Each user's work (open patient, visit, typed values, screen) kept while the screen is locked or another
 * user works here. Only the signed-in, unlocked user's work is in the page; the others' is held in this
 * window's memory only (never on disk), out of the document, with their effects stopped. Sign out ends a
 * user's work; a lock or a switch of user does not.
 */
function UserWorkspaces(props: { status: AuthStatus; actions: { lock(): void; signOut(): void } }) {
  const { status, actions } = props;
  const [kept, setKept] = useState<readonly SignedInUser[]>([]);
  // The user signing out: her work is dropped at once and not taken up again while main, signing her
  // out, still reports her signed in (it would come back, patient and typed values, at her next sign-in).
  const [leaving, setLeaving] = useState<string | null>(null);
  const active = status.state === 'signed-in' ? status.user : null;
  if (active && active.id !== leaving && !kept.some((u) => u.id === active.id)) setKept([...kept, active]);
  if (leaving !== null && active?.id !== leaving) setLeaving(null);
  const signOut = () => {
    const id = status.user?.id ?? null;
    setLeaving(id);
    setKept((users) => users.filter((u) => u.id !== id));
    actions.signOut();
  };
  // Values typed and not saved are asked about first: signing out ends the kept work.
  const signOutQuestion = useSignOutQuestion(signOut, active?.id ?? null);
  return (
    <>
      {signOutQuestion.question}
      {kept.map((user) => (
        <KeptWorkspace key={user.id} shown={active?.id === user.id}>
          <SignedInApp
            role={user.role}
            session={
              <>
                <SyncIndicator />
                <SessionBar status={status} onLock={actions.lock} onSignOut={signOutQuestion.ask} />
              </>
            }
          />
        </KeptWorkspace>
      ))}
    </>
  );
}

/**
 * Renders into a container of its own that is in the document only while shown: a locked screen's page
 * holds no patient data, yet React keeps every value typed for when the user is back.
 */
function KeptWorkspace(props: { shown: boolean; children: ReactNode }) {
  const [container] = useState(() => {
    const div = document.createElement('div');
    div.className = 'workspace';
    return div;
  });
  const host = useRef<HTMLDivElement>(null);
  // What had the keyboard when the work was put away (a lock, a switch of user), given it back on return.
  const lastFocus = useRef<HTMLElement | null>(null);
  const { shown } = props;
  useLayoutEffect(() => {
    const at = host.current;
    if (!shown || !at) return;
    at.appendChild(container);
    const back = lastFocus.current;
    if (back && container.contains(back)) back.focus();
    return () => {
      const active = document.activeElement;
      lastFocus.current = active instanceof HTMLElement && container.contains(active) ? active : null;
      container.remove();
    };
  }, [shown, container]);
  return (
    <>
      <div ref={host} className="workspace-host" />
      <Activity mode={shown ? 'visible' : 'hidden'}>{createPortal(props.children, container)}</Activity>
    </>
  );
}

function SignedInApp(props: { role: Role; session: ReactNode }) {
  const { health, alive } = useHealth();
  const [requested, navigate] = useRoute();
  const visibleRoutes = ROUTES_OF_ROLE[props.role];
  const route = visibleRoutes.includes(requested) ? requested : visibleRoutes[0]!;
  // A screen opened once stays (hidden) when another is shown, so nothing typed there is lost.
  const [opened, setOpened] = useState<readonly RouteId[]>([route]);
  if (!opened.includes(route)) setOpened([...opened, route]);
  return (
    <AppFrame
      health={health}
      alive={alive}
      route={route}
      onNavigate={navigate}
      visibleRoutes={visibleRoutes}
      session={props.session}
    >
      {opened.map((id) => (
        <Activity key={id} mode={id === route ? 'visible' : 'hidden'}>
          {SCREENS[id]()}
        </Activity>
      ))}
    </AppFrame>
  );
}

const SCREENS: Record<RouteId, () => ReactNode> = {
  intake: () => <IntakeScreen />,
  review: () => <ReviewScreen />,
  devices: () => <DevicesScreen />,
  settings: () => <SettingsScreen />,
  admin: () => <AdminScreen />,
};
