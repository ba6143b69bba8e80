/** The Bluetooth LE side of devices: what the device manager and the core wire in. */
export { bleConnector, type BleConnectorDeps } from './connector';
export { createNobleAdapter, unavailableAdapter, type NobleAdapterOptions } from './noble-adapter';
export { createBleScanner, driversForServices, type BleScanner, type FoundHealthDevice } from './scanner';
export { BLE_DRIVERS, bleDriverFor, HEALTH_SERVICE_UUIDS, type BleDriver, type BleDriverId } from './drivers';
export {
  BLUETOOTH_UNAVAILABLE,
  normalizeUuid,
  type BleAdapter,
  type BleAdapterState,
  type BleAdapterStatus,
  type BlePeripheralLink,
  type DiscoveredPeripheral,
} from './adapter';
