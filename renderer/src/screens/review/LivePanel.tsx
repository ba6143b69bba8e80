import { useEffect, useRef } from 'react';
import { formatVital } from '../../../../shared/clinical/units';
import { VITALS } from '../../../../shared/clinical/vital-signs';
import type { DeviceReading } from '../../../../shared/devices/reading';
import { LiveTrace } from '../../charts/LiveTrace';
import { formatTime } from '../../ui/format';
import { useDevices } from '../devices/useDevices';
import { useLiveDevices } from '../intake/useLiveDevices';

/**
 * What a device at this workstation is sending now (not yet saved by the nurse), and the pleth trace
 * while an oximeter streams: the clinician sees the measurement as it is taken.
 */
export function LivePanel() {
  const live = useLiveDevices();
  const devices = useDevices();
  // A device paired after this screen opened: fetch the list again once, to show the name the clinic gave it.
  const asked = useRef(new Set<string>());
  const { reload } = devices;
  useEffect(() => {
    const unknown = [...live.pending.map((r) => r.provenance.deviceId), ...live.waveforms.keys()].filter(
      (id) => !devices.devices.some((d) => d.id === id) && !asked.current.has(id),
    );
    if (unknown.length === 0) return;
    for (const id of unknown) asked.current.add(id);
    reload();
  }, [live.pending, live.waveforms, devices.devices, reload]);
  const nameOf = (reading: DeviceReading) =>
    devices.devices.find((d) => d.id === reading.provenance.deviceId)?.name ??
    ([reading.provenance.manufacturer, reading.provenance.model].filter(Boolean).join(' ') || 'device');
  const traces = [...live.waveforms.entries()].filter(([, samples]) => samples.length > 1);
  const streaming = live.pending.length > 0 || traces.length > 0;
  return (
    <section
      className="panel review-live no-print"
      aria-labelledby="review-live-heading"
      data-testid="review-live"
    >
      <h2 id="review-live-heading">Live at this workstation</h2>
      {!streaming && <p className="hint">No device is sending values at this workstation now.</p>}
      <ul className="live-readings">
        {[...live.pending].reverse().map((reading) => (
          <li key={reading.readingId} data-testid="live-reading">
            <span className="live-label">
              {nameOf(reading)} · {formatTime(reading.receivedAt)} · not yet saved
            </span>
            <span className="live-value">
              {reading.values
                .filter((v) => v.kind !== 'meanArterialPressure')
                .map(
                  (v) => `${VITALS[v.kind].display.replace(/ \(.*\)$/, '')} ${formatVital(v.kind, v.value)}`,
                )
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      {traces.map(([deviceId, samples]) => (
        <LiveTrace
          key={deviceId}
          samples={samples}
          sampleRateHz={75}
          label={`Pleth waveform from ${devices.devices.find((d) => d.id === deviceId)?.name ?? 'the pulse oximeter'}`}
        />
      ))}
    </section>
  );
}
