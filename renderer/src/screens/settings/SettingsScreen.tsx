import { HealthPanel } from './HealthPanel';

/** Placeholder until the settings screen lands; the health panel is already real. */
export function SettingsScreen() {
  return (
    <div className="screen">
      <h1>Settings</h1>
      <HealthPanel />
    </div>
  );
}
