/**
 * The messages between the app's socket radio (./socket-adapter) and a simulated peripheral
 * (`npm run sim -- ble <profile>`), one JSON object per line over a local socket. Everything the
 * app reads from the socket is checked here: a simulator is another program, so its lines are a
 * trust boundary like a real device's bytes. Values travel as lowercase hex.
 */
import { z } from 'zod';

/** Longer lines are refused (the largest real GATT value is 512 bytes). */
export const MAX_LINE_CHARS = 64 * 1024;

const uuid = z.string().regex(/^[0-9a-f]{4}([0-9a-f]{28})?$/, 'a 16- or 128-bit UUID in lowercase hex');
const hex = z
  .string()
  .max(1024)
  .regex(/^([0-9a-f]{2})*$/, 'bytes as lowercase hex');

export const gattServiceSchema = z.object({
  uuid,
  characteristics: z.array(z.object({ uuid, properties: z.array(z.string().max(40)).max(10) })).max(40),
});

/** What a simulated peripheral sends. */
export const peripheralMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    address: z.string().min(1).max(64),
    name: z.string().max(64),
    rssi: z.number().int().min(-127).max(20),
    /** Advertised service UUIDs. */
    services: z.array(uuid).max(20),
    gatt: z.array(gattServiceSchema).max(20),
  }),
  /** The answer to a request: `value` for a read, `error` (a short reason) when it failed. */
  z.object({
    t: z.literal('reply'),
    id: z.number().int().nonnegative(),
    ok: z.boolean(),
    value: hex.optional(),
    error: z.string().max(200).optional(),
  }),
  z.object({ t: z.literal('notify'), service: uuid, characteristic: uuid, value: hex }),
  /** The peripheral dropped the link (out of range, switched off). */
  z.object({ t: z.literal('dropped') }),
  /** Whether it can be found and connected now. */
  z.object({ t: z.literal('range'), inRange: z.boolean() }),
]);
export type PeripheralMessage = z.infer<typeof peripheralMessageSchema>;

/** What the app's radio asks of a peripheral; each gets a `reply` with the same id. */
export type RadioRequest =
  | { t: 'connect'; id: number }
  | { t: 'disconnect'; id: number }
  | { t: 'read'; id: number; service: string; characteristic: string }
  | { t: 'write'; id: number; service: string; characteristic: string; value: string; withResponse: boolean }
  | { t: 'subscribe'; id: number; service: string; characteristic: string }
  | { t: 'unsubscribe'; id: number; service: string; characteristic: string };

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/**
 * Splits a stream into lines and hands each complete one on; returns false (and stops) when a line
 * grows past the limit, so a peer that never ends a line cannot fill memory.
 */
export function createLineReader(onLine: (line: string) => void): (chunk: string) => boolean {
  let buffered = '';
  return (chunk) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onLine(line);
      newline = buffered.indexOf('\n');
    }
    return buffered.length <= MAX_LINE_CHARS;
  };
}

/** One peripheral line, checked; undefined when it is not a message this protocol knows. */
export function parsePeripheralMessage(line: string): PeripheralMessage | undefined {
  if (line.length > MAX_LINE_CHARS) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = peripheralMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
