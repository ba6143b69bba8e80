import type { DriverOutput, FrameParser } from '../../../../main/devices/serial/drivers/types';

/** Feeds bytes to a parser and returns everything it emitted. */
export function feed(parser: FrameParser, ...chunks: Uint8Array[]): DriverOutput[] {
  const out: DriverOutput[] = [];
  for (const chunk of chunks) parser.push(chunk, (o) => out.push(o));
  return out;
}

export const ascii = (text: string) => new TextEncoder().encode(text);
