// Ordering of seat deltas against a snapshot. The snapshot has a `seq`; a delta applies only
// if it is exactly the next one. Older ones are duplicates (dropped); a newer one means a
// message was lost (pub/sub may drop) or arrived early: it waits in a bounded buffer, and if
// the hole does not fill the caller refetches the snapshot and calls `reset`.

export interface Sequenced {
  seq: number;
}

export class SeqTracker<D extends Sequenced> {
  private seq: number | null = null;
  private pending = new Map<number, D>();

  constructor(private readonly maxPending = 2000) {}

  /** The seq of the state the caller holds, or null while waiting for a snapshot. */
  get current(): number | null {
    return this.seq;
  }

  /** True when deltas wait behind a missing one. */
  get hasGap(): boolean {
    return this.seq !== null && this.pending.size > 0;
  }

  /** A snapshot at `seq` replaced the state: returns the buffered deltas to apply on top. */
  reset(seq: number): D[] {
    this.seq = seq;
    for (const k of [...this.pending.keys()]) if (k <= seq) this.pending.delete(k);
    return this.drain();
  }

  /** The state is being refetched: buffer everything until `reset`. */
  invalidate(): void {
    this.seq = null;
  }

  /** Offers a delta; returns those now applicable, in order (possibly none). */
  push(d: D): D[] {
    if (!Number.isFinite(d.seq)) return [];
    if (this.seq !== null && d.seq <= this.seq) return [];
    if (this.pending.size >= this.maxPending) {
      // Far behind: a snapshot is cheaper than the backlog.
      this.pending.clear();
    }
    this.pending.set(d.seq, d);
    return this.seq === null ? [] : this.drain();
  }

  private drain(): D[] {
    const out: D[] = [];
    while (this.seq !== null && this.pending.has(this.seq + 1)) {
      const next = this.pending.get(this.seq + 1)!;
      this.pending.delete(next.seq);
      this.seq = next.seq;
      out.push(next);
    }
    return out;
  }
}
