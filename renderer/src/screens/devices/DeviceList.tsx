import { useState } from 'react';
import { clockOffsetWords } from '../../../../shared/devices/clock-offset-words';
import type { DeviceEntry } from '../../../../shared/ipc/channels/devices';
import { useClient } from '../../ipc/ClientContext';
import { errorText } from '../../ui/errors';
import type { DevicesState } from './useDevices';

const STATE_WORDS: Record<DeviceEntry['status']['state'], string> = {
  disconnected: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  reading: 'Measuring',
  waiting: 'Waiting',
  error: 'Problem',
};

/** What the device's own clock says, against this computer's (within a minute counts as right). */
function clockText(offsetMs: number | undefined): string {
  if (offsetMs === undefined) return 'Device clock not readable';
  if (Math.abs(offsetMs) < 60_000) return 'Device clock right';
  return `Device clock ${clockOffsetWords(offsetMs)}`;
}

/** Devices in reach with status and battery, connect/disconnect, and a plain state when Bluetooth is off. */
export function DeviceList(props: { state: DevicesState; compact?: boolean }) {
  const client = useClient();
  const { devices, bluetooth, error } = props.state;
  const [actionError, setActionError] = useState<string | null>(null);

  const act = (channel: 'devices.connect' | 'devices.disconnect' | 'devices.setClock', id: string) => {
    client.invoke(channel, { id }).then(
      () => setActionError(null),
      (e: unknown) => setActionError(errorText(e)),
    );
  };

  return (
    <div className="device-list" data-testid="device-list">
      {bluetooth && bluetooth.state !== 'poweredOn' && (
        <p className="notice" role="status" data-testid="bluetooth-state">
          {bluetooth.message}
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {devices.length === 0 && <p className="hint">No devices are set up at this workstation yet.</p>}
      <ul>
        {devices.map((d) => {
          const connected = d.status.state !== 'disconnected' && d.status.state !== 'error';
          return (
            <li key={d.id} className={`device state-${d.status.state}`} data-testid={`device-${d.id}`}>
              <span className="device-name">{d.name}</span>
              <span className="device-transport">{d.transport === 'ble' ? 'Bluetooth' : 'USB cable'}</span>
              <span className="device-state" role={d.status.state === 'waiting' ? 'status' : undefined}>
                {d.status.state === 'waiting' ? `Waiting for ${d.name}…` : STATE_WORDS[d.status.state]}
                {d.status.state === 'waiting' && ` ${d.status.reason} Trying again by itself.`}
                {d.status.state === 'error' && `: ${d.status.reason}`}
                {d.status.state === 'connected' && d.status.detail && ` — ${d.status.detail}`}
              </span>
              {d.battery && (
                <span className={`device-battery${d.battery.low ? ' low' : ''}`}>
                  {d.battery.percent !== undefined ? `Battery ${d.battery.percent} %` : ''}
                  {d.battery.low ? ' Battery low' : ''}
                </span>
              )}
              {connected && d.clock && (
                <span className="device-clock" data-testid={`device-clock-${d.id}`}>
                  {clockText(d.clock.offsetMs)}
                  {d.clock.writable && (
                    <button type="button" onClick={() => act('devices.setClock', d.id)}>
                      Set device clock <span className="visually-hidden">of {d.name}</span>
                    </button>
                  )}
                </span>
              )}
              <DeviceDetails device={d} />
              {connected ? (
                <button type="button" onClick={() => act('devices.disconnect', d.id)}>
                  {d.status.state === 'waiting' ? 'Stop waiting' : 'Disconnect'}{' '}
                  <span className="visually-hidden">{d.name}</span>
                </button>
              ) : (
                <button type="button" onClick={() => act('devices.connect', d.id)}>
                  Connect <span className="visually-hidden">{d.name}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Who the device is and what it says it can do, folded away until asked for. */
function DeviceDetails({ device }: { device: DeviceEntry }) {
  const { manufacturer, model, serial, firmware, features, adjustments } = device.info;
  const rows: [string, string][] = [
    ['Maker', manufacturer ?? ''],
    ['Model', model ?? ''],
    ['Serial number', serial ?? ''],
    ['Firmware', firmware ?? ''],
    [
      'Connection',
      device.transport === 'ble' ? `Bluetooth ${device.address ?? ''}` : (device.address ?? 'USB id'),
    ],
  ];
  return (
    <details className="device-details" data-testid={`device-details-${device.id}`}>
      <summary>
        Details <span className="visually-hidden">of {device.name}</span>
      </summary>
      <dl>
        {rows
          .filter(([, value]) => value.trim() !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        <div>
          <dt>Features</dt>
          <dd>
            {features === undefined ? (
              device.transport === 'ble' ? (
                'Not reported (connect the device to read them)'
              ) : (
                'Not reported by this kind of device'
              )
            ) : features.length === 0 ? (
              'None of the optional features'
            ) : (
              <ul className="device-features">
                {features.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {adjustments && adjustments.length > 0 ? (
          <div>
            <dt>Model adjustments</dt>
            <dd>
              <ul className="device-features">
                {adjustments.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
      </dl>
    </details>
  );
}
