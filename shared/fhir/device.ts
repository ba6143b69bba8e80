import type { Device, Practitioner } from '@medplum/fhirtypes';
import type { DeviceProvenance } from '../devices/reading';
import { IDENTIFIER_SYSTEMS } from './identifiers';
import type { StaffRecord } from './records';

/** The identifier value of a device: its serial number when known (stable across ports), else its local id. */
export function deviceIdentifierValue(device: DeviceProvenance): string {
  return device.serial
    ? `${device.manufacturer ?? 'unknown'}/${device.model ?? 'unknown'}/${device.serial}`
    : device.deviceId;
}

/** FHIR R4 Device (device.html): manufacturer, model, serial and firmware from Device Information. */
export function toFhirDevice(device: DeviceProvenance): Device {
  return {
    resourceType: 'Device',
    identifier: [{ system: IDENTIFIER_SYSTEMS.device, value: deviceIdentifierValue(device) }],
    status: 'active',
    ...(device.manufacturer ? { manufacturer: device.manufacturer } : {}),
    ...(device.serial ? { serialNumber: device.serial } : {}),
    ...(device.model
      ? { modelNumber: device.model, deviceName: [{ name: device.model, type: 'model-name' }] }
      : {}),
    ...(device.firmware ? { version: [{ type: { text: 'firmware' }, value: device.firmware }] } : {}),
    note: [
      {
        text: `Connected over ${device.transport === 'ble' ? 'Bluetooth LE' : 'USB serial'} (${device.driver})`,
      },
    ],
  };
}

/** The member of staff who recorded observations, as the Observation.performer target. */
export function toFhirPractitioner(staff: StaffRecord): Practitioner {
  return {
    resourceType: 'Practitioner',
    identifier: [{ system: IDENTIFIER_SYSTEMS.staff, value: staff.id }],
    name: [{ text: staff.displayName }],
  };
}
