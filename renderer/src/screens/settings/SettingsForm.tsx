import { useState, type FormEvent } from 'react';
import type { RequestOf } from '../../../../shared/ipc';
import {
  userSettingsSchema,
  type SettingKey,
  type SettingsView,
} from '../../../../shared/ipc/channels/settings';
import { LockBadge } from './LockBadge';
import type { SaveResult } from './useSettings';

type Field =
  | { key: SettingKey; label: string; kind: 'text' | 'url' | 'minutes'; hint?: string }
  | { key: SettingKey; label: string; kind: 'boolean'; hint?: string }
  | {
      key: SettingKey;
      label: string;
      kind: 'select';
      options: { value: string; label: string }[];
      hint?: string;
    };

const SECTIONS: { title: string; fields: Field[] }[] = [
  {
    title: 'Workstation',
    fields: [
      { key: 'clinicName', label: 'Clinic name', kind: 'text' },
      { key: 'workstationName', label: 'Workstation name', kind: 'text' },
    ],
  },
  {
    title: 'Sign-in and locking',
    fields: [
      { key: 'requireTwoFactor', label: 'Two-step sign-in required', kind: 'boolean' },
      { key: 'idleLockMinutes', label: 'Lock after idle (minutes)', kind: 'minutes' },
      {
        key: 'reauthTwoFactorAfterMinutes',
        label: 'Ask for the second step again after (minutes)',
        kind: 'minutes',
      },
    ],
  },
  {
    title: 'Sharing with the care team',
    fields: [
      {
        key: 'fhirBaseUrl',
        label: 'FHIR server address',
        kind: 'url',
        hint: "Only your IT department's policy file sets the server (and its sign-in).",
      },
    ],
  },
  {
    title: 'Units',
    fields: [
      {
        key: 'temperatureUnit',
        label: 'Temperature unit',
        kind: 'select',
        options: [
          { value: 'Cel', label: '°C' },
          { value: '[degF]', label: '°F' },
        ],
      },
      {
        key: 'weightUnit',
        label: 'Weight unit',
        kind: 'select',
        options: [
          { value: 'kg', label: 'kg' },
          { value: '[lb_av]', label: 'lb' },
        ],
      },
    ],
  },
  {
    title: 'Updates',
    fields: [
      { key: 'updatesEnabled', label: 'Automatic updates', kind: 'boolean' },
      {
        key: 'updateChannel',
        label: 'Update channel',
        kind: 'select',
        options: [
          { value: 'latest', label: 'Stable' },
          { value: 'beta', label: 'Beta (early versions)' },
        ],
      },
      {
        key: 'updateFeedUrl',
        label: 'Update server address',
        kind: 'url',
        hint: "Only your IT department's policy file sets another update server.",
      },
    ],
  },
];

type Draft = Record<SettingKey, string | boolean>;

function draftFrom(settings: SettingsView['settings']): Draft {
  const draft = {} as Draft;
  for (const key of Object.keys(settings) as SettingKey[]) {
    const value = settings[key].value;
    draft[key] = typeof value === 'boolean' ? value : value === null ? '' : String(value);
  }
  return draft;
}

/** The changed, unlocked values, typed as settings.update expects. */
function changesFrom(draft: Draft, view: SettingsView, fields: Field[]): RequestOf<'settings.update'> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    const entry = view.settings[field.key];
    if (entry.locked) continue;
    const raw = draft[field.key];
    const value =
      field.kind === 'minutes'
        ? Number(raw)
        : field.kind === 'url'
          ? String(raw).trim() === ''
            ? null
            : String(raw).trim()
          : raw;
    if (value !== entry.value) changes[field.key] = value;
  }
  return changes as RequestOf<'settings.update'>;
}

const MAX_MINUTES: Partial<Record<SettingKey, number>> = {
  idleLockMinutes: 240,
  reauthTwoFactorAfterMinutes: 1440,
};

/** The longest a minutes setting may be here: IT's bound when it sets one, else the contract's. */
function maxMinutes(field: Field, view: SettingsView): number {
  return view.settings[field.key].max ?? MAX_MINUTES[field.key] ?? 240;
}

/** A sentence for a value the contract (or IT's bound) would refuse, so the admin sees it before saving. */
function problemWith(field: Field, value: unknown, view: SettingsView): string | null {
  const withinBound =
    field.kind !== 'minutes' || (typeof value === 'number' && value <= maxMinutes(field, view));
  if (withinBound && userSettingsSchema.shape[field.key].safeParse(value).success) return null;
  switch (field.kind) {
    case 'minutes':
      return `Enter a whole number of minutes from 1 to ${maxMinutes(field, view)}.`;
    case 'url':
      return 'Enter an address that starts with https://, or leave it empty.';
    case 'text':
      return 'Enter a name of 1 to 100 characters.';
    default:
      return 'Choose one of the options.';
  }
}

export function SettingsForm({
  view,
  onSave,
}: {
  view: SettingsView;
  onSave(changes: RequestOf<'settings.update'>): Promise<SaveResult>;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(view.settings));
  const [result, setResult] = useState<SaveResult | null>(null);
  const [saving, setSaving] = useState(false);
  const allFields = SECTIONS.flatMap((s) => s.fields);
  const changes = changesFrom(draft, view, allFields);
  const dirty = Object.keys(changes).length > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fieldErrors: Record<string, string> = {};
    for (const field of allFields) {
      if (!(field.key in changes)) continue;
      const problem = problemWith(field, (changes as Record<string, unknown>)[field.key], view);
      if (problem) fieldErrors[field.key] = problem;
    }
    if (Object.keys(fieldErrors).length > 0) {
      setResult({
        ok: false,
        message: 'Please correct the marked settings. Nothing was saved.',
        fieldErrors,
      });
      return;
    }
    setSaving(true);
    const outcome = await onSave(changes);
    setSaving(false);
    setResult(outcome);
  }

  const set = (key: SettingKey, value: string | boolean) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <form
      className="panel settings-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-labelledby="settings-heading"
    >
      <h2 id="settings-heading">Workstation settings</h2>
      {SECTIONS.map((section) => (
        <fieldset key={section.title}>
          <legend>{section.title}</legend>
          {section.fields.map((field) => {
            const entry = view.settings[field.key];
            const id = `setting-${field.key}`;
            const hint =
              field.hint ??
              (entry.max !== undefined
                ? `At most ${entry.max} minutes (your IT department's limit).`
                : undefined);
            const hintId = hint ? `${id}-hint` : undefined;
            const error = result?.fieldErrors[field.key];
            const errorId = error ? `${id}-error` : undefined;
            const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
            const value = draft[field.key];
            return (
              <div className="setting-row" key={field.key} data-testid={id} data-locked={entry.locked}>
                {field.kind === 'boolean' ? (
                  <label htmlFor={id} className="setting-label checkbox">
                    <input
                      id={id}
                      type="checkbox"
                      checked={value === true}
                      disabled={entry.locked}
                      aria-describedby={describedBy}
                      onChange={(e) => set(field.key, e.target.checked)}
                    />{' '}
                    {field.label}
                  </label>
                ) : (
                  <>
                    <label htmlFor={id} className="setting-label">
                      {field.label}
                    </label>
                    {field.kind === 'select' ? (
                      <select
                        id={id}
                        value={String(value)}
                        disabled={entry.locked}
                        aria-describedby={describedBy}
                        onChange={(e) => set(field.key, e.target.value)}
                      >
                        {field.options.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={id}
                        type={field.kind === 'minutes' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
                        inputMode={field.kind === 'minutes' ? 'numeric' : undefined}
                        min={field.kind === 'minutes' ? 1 : undefined}
                        max={field.kind === 'minutes' ? maxMinutes(field, view) : undefined}
                        value={String(value)}
                        readOnly={entry.locked}
                        disabled={entry.locked}
                        aria-describedby={describedBy}
                        aria-invalid={error ? true : undefined}
                        onChange={(e) => set(field.key, e.target.value)}
                      />
                    )}
                  </>
                )}
                {entry.locked && <LockBadge />}
                {hint && (
                  <p id={hintId} className="setting-hint">
                    {hint}
                  </p>
                )}
                {error && (
                  <p id={errorId} className="error">
                    {error}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      <div className="settings-actions">
        <button type="submit" disabled={!dirty || saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        {result && (
          <p className={result.ok ? 'saved' : 'error'} role={result.ok ? 'status' : 'alert'}>
            {result.message}
          </p>
        )}
      </div>
    </form>
  );
}
