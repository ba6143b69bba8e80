import { AppFrame } from './frame/AppFrame';
import { useHealth } from './frame/useHealth';
import { useRoute } from './frame/useRoute';
import { DevicesScreen } from './screens/devices/DevicesScreen';
import { IntakeScreen } from './screens/intake/IntakeScreen';
import { ReviewScreen } from './screens/review/ReviewScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';

export function App() {
  const { health, alive } = useHealth();
  const [route, navigate] = useRoute();
  return (
    <AppFrame health={health} alive={alive} route={route} onNavigate={navigate}>
      {route === 'intake' && <IntakeScreen />}
      {route === 'review' && <ReviewScreen />}
      {route === 'devices' && <DevicesScreen />}
      {route === 'settings' && <SettingsScreen />}
    </AppFrame>
  );
}
