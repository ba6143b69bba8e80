/** The serial drivers this build knows, by driver id. Adding a device means adding a driver file here. */
import { andScaleDriver } from './and-scale';
import { nonin2Driver } from './nonin-2';
import { nonin7Driver } from './nonin-7';
import { nonin8Driver } from './nonin-8';
import type { SerialDriver } from './types';

export const SERIAL_DRIVERS: Readonly<Record<string, SerialDriver>> = {
  [nonin8Driver.id]: nonin8Driver,
  [nonin2Driver.id]: nonin2Driver,
  [nonin7Driver.id]: nonin7Driver,
  [andScaleDriver.id]: andScaleDriver,
};

export function serialDriverFor(id: string): SerialDriver | undefined {
  return Object.hasOwn(SERIAL_DRIVERS, id) ? SERIAL_DRIVERS[id] : undefined;
}

export type { SerialDriver, FrameParser, DriverOutput, DriverOutputSink, SerialLineSettings } from './types';
