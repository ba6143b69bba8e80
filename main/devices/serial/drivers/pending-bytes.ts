/**
 * A decoder's unread tail followed by the bytes just received. A serial read can end mid-frame, so
 * each push starts from what the last one left; with nothing left, the new bytes are used as they are.
 */
export function afterPending(pending: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (pending.length === 0) return bytes;
  const joined = new Uint8Array(pending.length + bytes.length);
  joined.set(pending);
  joined.set(bytes, pending.length);
  return joined;
}
