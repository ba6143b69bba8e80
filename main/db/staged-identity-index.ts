/**
 * Which identity hashes an import has staged, and under which staging sequence numbers: an open-addressing
 * table in typed arrays, off the JavaScript heap and 12 bytes a slot (about 13 MB at 500,000 values). It
 * replaces an index on the staging file, which every staged row had to be inserted into and whose pages
 * were rewritten with every batch; the file is asked for a row's identity only when its hash is found here
 * (a duplicate in the file, or in a few billion a hash shared by two identities).
 */
const EMPTY = 0;
/** What find() answers for a new identity (most of them): one shared empty list, nothing allocated. */
const NONE: readonly number[] = Object.freeze([]);
/** At most three slots in four taken: a probe stays short. */
const MAX_LOAD = 0.75;

export class StagedIdentityIndex {
  /** The hash plus one (hashes are below 2^53, so the sum stays exact); 0 marks a free slot. */
  private keys: Float64Array;
  private seqs: Uint32Array;
  private mask: number;
  private count = 0;
  /** Rows beyond the first for a hash: only for hashes shared by distinct identities. */
  private readonly more = new Map<number, number[]>();

  constructor(initialSlots = 1 << 16) {
    let slots = 1;
    while (slots < initialSlots) slots *= 2;
    this.keys = new Float64Array(slots);
    this.seqs = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The sequence numbers of the staged rows with this hash (none: a new identity). */
  find(hash: number): readonly number[] {
    const key = hash + 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & this.mask) {
      const k = this.keys[slot]!;
      if (k === EMPTY) return NONE;
      if (k === key) {
        const first = this.seqs[slot]!;
        const others = this.more.get(hash);
        return others ? [first, ...others] : [first];
      }
    }
  }

  /** Records that the row `seq` holds an identity with this hash. */
  add(hash: number, seq: number): void {
    const key = hash + 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & this.mask) {
      const k = this.keys[slot]!;
      if (k === key) {
        const others = this.more.get(hash);
        if (others) others.push(seq);
        else this.more.set(hash, [seq]);
        return;
      }
      if (k === EMPTY) {
        this.keys[slot] = key;
        this.seqs[slot] = seq;
        this.count++;
        if (this.count > this.keys.length * MAX_LOAD) this.grow();
        return;
      }
    }
  }

  /** Every (hash, seq) held, in no particular order. */
  *entries(): Generator<[hash: number, seq: number]> {
    for (let slot = 0; slot < this.keys.length; slot++) {
      const k = this.keys[slot]!;
      if (k === EMPTY) continue;
      yield [k - 1, this.seqs[slot]!];
      for (const seq of this.more.get(k - 1) ?? []) yield [k - 1, seq];
    }
  }

  private slotOf(hash: number): number {
    // The hash's low 32 bits are already well mixed (see home-identity.ts).
    return (hash % 0x100000000) & this.mask;
  }

  private grow(): void {
    const keys = this.keys;
    const seqs = this.seqs;
    this.keys = new Float64Array(keys.length * 2);
    this.seqs = new Uint32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let slot = 0; slot < keys.length; slot++) {
      const k = keys[slot]!;
      if (k === EMPTY) continue;
      let to = this.slotOf(k - 1);
      while (this.keys[to] !== EMPTY) to = (to + 1) & this.mask;
      this.keys[to] = k;
      this.seqs[to] = seqs[slot]!;
    }
  }
}
