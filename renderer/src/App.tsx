import type { ReactNode } from 'react';
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
import { SyncIndicator } from './sync/SyncIndicator';

/** What each role works on: the rest is hidden here and refused by main. Admins see no patient data. */
const ROUTES_OF_ROLE: Record<Role, readonly RouteId[]> = {
  nurse: ['intake', 'devices', 'settings'],
  clinician: ['intake', 'review', 'devices', 'settings'],
  admin: ['devices', 'settings', 'admin'],
};

export function App() {
  return (
    <AuthGate>
      {(status, actions) => (
        <SignedInApp
          role={status.user?.role ?? 'nurse'}
          session={
            <>
              <SyncIndicator />
              <SessionBar status={status} onLock={actions.lock} onSignOut={actions.signOut} />
            </>
          }
        />
      )}
    </AuthGate>
  );
}

function SignedInApp(props: { role: Role; session: ReactNode }) {
  const { health, alive } = useHealth();
  const [requested, navigate] = useRoute();
  const visibleRoutes = ROUTES_OF_ROLE[props.role];
  const route = visibleRoutes.includes(requested) ? requested : visibleRoutes[0]!;
  return (
    <AppFrame
      health={health}
      alive={alive}
      route={route}
      onNavigate={navigate}
      visibleRoutes={visibleRoutes}
      session={props.session}
    >
      {route === 'intake' && <IntakeScreen />}
      {route === 'review' && <ReviewScreen />}
      {route === 'devices' && <DevicesScreen />}
      {route === 'settings' && <SettingsScreen />}
      {route === 'admin' && <AdminScreen />}
    </AppFrame>
  );
}
