import { useState, type FormEvent } from 'react';
import type { BleScanResult, SerialPortSummary } from '../../../../shared/ipc/channels/devices';
import { useClient } from '../../ipc/ClientContext';
import { errorText, fieldErrors } from '../../ui/errors';
import { DeviceList } from './DeviceList';
import { useDevices } from './useDevices';

/**
 * The devices this workstation may use. A nurse or admin pairs a device once: a serial device by its
 * port (or USB vendor/product id, so it is found again on another port), a Bluetooth device from a scan.
 */
export function DevicesScreen() {
  const state = useDevices();
  const client = useClient();
  const [error, setError] = useState<string | null>(null);

  const unpair = (id: string) =>
    client.invoke('devices.unpair', { id }).then(
      () => state.reload(),
      (e: unknown) => setError(errorText(e)),
    );

  return (
    <div className="devices-screen">
      <section className="panel" aria-labelledby="devices-allowed-heading">
        <h1 id="devices-allowed-heading">Devices at this workstation</h1>
        <DeviceList state={state} />
        {state.devices.length > 0 && (
          <details className="unpair">
            <summary>Remove a device</summary>
            <ul>
              {state.devices.map((d) => (
                <li key={d.id}>
                  <button type="button" className="danger" onClick={() => void unpair(d.id)}>
                    Remove {d.name}
                  </button>
                </li>
              ))}
            </ul>
          </details>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <PairDevice
        drivers={state.drivers}
        bluetoothOn={state.bluetooth?.state === 'poweredOn'}
        onPaired={state.reload}
      />
    </div>
  );
}

function PairDevice(props: {
  drivers: { id: string; transport: 'ble' | 'serial'; name: string }[];
  bluetoothOn: boolean;
  onPaired: () => void;
}) {
  const client = useClient();
  const [transport, setTransport] = useState<'serial' | 'ble'>('serial');
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('');
  const [address, setAddress] = useState('');
  const [usb, setUsb] = useState({ vendor: '', product: '' });
  const [ports, setPorts] = useState<{ list: SerialPortSummary[]; note?: string | undefined } | null>(null);
  const [found, setFound] = useState<BleScanResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const drivers = props.drivers.filter((d) => d.transport === transport);

  const listPorts = () =>
    client.invoke('devices.serialPorts', {}).then(
      (r) => setPorts({ list: r.ports, note: r.note }),
      (e: unknown) => setMessage(errorText(e)),
    );
  const scan = () => {
    setBusy(true);
    client
      .invoke('devices.bleScan', { seconds: 5 })
      .then(
        (r) => setFound(r.devices),
        (e: unknown) => setMessage(errorText(e)),
      )
      .finally(() => setBusy(false));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await client.invoke('devices.pair', {
        name,
        transport,
        driver,
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(usb.vendor ? { usbVendorId: usb.vendor } : {}),
        ...(usb.product ? { usbProductId: usb.product } : {}),
      });
      setMessage(`${name} can now be used at this workstation.`);
      setErrors({});
      setName('');
      setAddress('');
      setUsb({ vendor: '', product: '' });
      props.onPaired();
    } catch (e) {
      setErrors(fieldErrors(e));
      setMessage(errorText(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="pair-heading">
      <h2 id="pair-heading">Add a device</h2>
      <form onSubmit={submit} className="form-grid" noValidate>
        <div className="field">
          <label htmlFor="pair-transport">Connection</label>
          <select
            id="pair-transport"
            value={transport}
            onChange={(e) => {
              setTransport(e.target.value === 'ble' ? 'ble' : 'serial');
              setDriver('');
            }}
          >
            <option value="serial">USB cable (serial)</option>
            <option value="ble">Bluetooth</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="pair-driver">Device type</label>
          <select
            id="pair-driver"
            value={driver}
            onChange={(e) => setDriver(e.target.value)}
            aria-invalid={errors.driver ? true : undefined}
          >
            <option value="">Choose…</option>
            {drivers.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pair-name">Name shown to nurses</label>
          <input
            id="pair-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="pair-address">{transport === 'serial' ? 'Port' : 'Bluetooth address'}</label>
          <input
            id="pair-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            aria-invalid={errors.address ? true : undefined}
          />
        </div>
        {transport === 'serial' && (
          <>
            <div className="field">
              <label htmlFor="pair-vendor">USB vendor id (optional)</label>
              <input
                id="pair-vendor"
                value={usb.vendor}
                onChange={(e) => setUsb({ ...usb, vendor: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="pair-product">USB product id (optional)</label>
              <input
                id="pair-product"
                value={usb.product}
                onChange={(e) => setUsb({ ...usb, product: e.target.value })}
              />
            </div>
          </>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            Add device
          </button>
          {transport === 'serial' ? (
            <button type="button" onClick={() => void listPorts()}>
              Show serial ports
            </button>
          ) : (
            <button type="button" onClick={scan} disabled={busy || !props.bluetoothOn}>
              {busy ? 'Looking for devices…' : 'Look for Bluetooth devices'}
            </button>
          )}
        </div>
      </form>
      {message && (
        <p className="hint" role="status">
          {message}
        </p>
      )}
      {transport === 'serial' && ports && (
        <div className="found">
          {ports.note && <p className="notice">{ports.note}</p>}
          {ports.list.length === 0 && <p className="hint">No serial ports found. Is the cable plugged in?</p>}
          <ul>
            {ports.list.map((p) => (
              <li key={p.path}>
                <button
                  type="button"
                  onClick={() => {
                    setAddress(p.path);
                    setUsb({ vendor: p.vendorId ?? '', product: p.productId ?? '' });
                  }}
                >
                  Use {p.path}
                  {p.manufacturer ? ` (${p.manufacturer})` : ''}
                  {p.vendorId ? ` USB ${p.vendorId}:${p.productId ?? '????'}` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {transport === 'ble' && found && (
        <div className="found">
          {found.length === 0 && (
            <p className="hint">No Bluetooth health devices answered. Is the device awake?</p>
          )}
          <ul>
            {found.map((d) => (
              <li key={d.address}>
                <button
                  type="button"
                  onClick={() => {
                    setAddress(d.address);
                    if (d.name && !name) setName(d.name);
                    if (d.suggestedDriver) setDriver(d.suggestedDriver);
                  }}
                >
                  Use {d.name ?? 'unnamed device'} ({d.address})
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
