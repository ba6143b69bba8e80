import { ChangePasswordPanel } from '../auth/ChangePasswordPanel';
import { HealthPanel } from './HealthPanel';
import { ManagedPanel } from './ManagedPanel';
import { MyUnitsPanel } from './MyUnitsPanel';
import { PolicyBanner } from './PolicyBanner';
import { SettingsForm } from './SettingsForm';
import { useSettings } from './useSettings';
import './settings.css';

/**
 * Workstation settings, what IT locked, problems with IT's policy file, the signed-in user's password,
 * and the workstation's health.
 */
export function SettingsScreen() {
  const { view, error, save } = useSettings();
  return (
    <div className="screen">
      <h1>Settings</h1>
      {view && <PolicyBanner policy={view.policy} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <p>Reading the settings…</p>}
      {view && <SettingsForm view={view} onSave={save} />}
      {view && <ManagedPanel managed={view.managed} status={view.policy.status} />}
      <MyUnitsPanel />
      <ChangePasswordPanel />
      <HealthPanel />
    </div>
  );
}
