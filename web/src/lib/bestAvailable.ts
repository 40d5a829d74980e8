// "Best available N seats together" inside one block: N adjacent free seats in one row with
// no aisle between them, in the frontmost row that has such a run (row order is the block's
// order, front first), and within that row the run closest to the row's centre.

export interface BlockSeatLike {
  id: string;
  row: string;
  number: number;
}

/** Seat ids of the best run of `n`, or null when no row has `n` free seats together. */
export function bestAvailable(
  seats: readonly BlockSeatLike[],
  aislesAfter: readonly number[],
  n: number,
  isFree: (id: string) => boolean,
): string[] | null {
  if (n < 1) return null;
  const rows = new Map<string, BlockSeatLike[]>();
  for (const s of seats) {
    const list = rows.get(s.row);
    if (list) list.push(s);
    else rows.set(s.row, [s]);
  }
  const aisles = new Set(aislesAfter);
  for (const list of rows.values()) {
    const row = [...list].sort((a, b) => a.number - b.number);
    const centre = (row[0].number + row[row.length - 1].number) / 2;
    let best: { ids: string[]; distance: number } | null = null;
    let run: BlockSeatLike[] = [];
    const consider = () => {
      for (let i = 0; i + n <= run.length; i++) {
        const window = run.slice(i, i + n);
        const mid = (window[0].number + window[n - 1].number) / 2;
        const distance = Math.abs(mid - centre);
        if (!best || distance < best.distance) best = { ids: window.map((s) => s.id), distance };
      }
    };
    for (let i = 0; i < row.length; i++) {
      const seat = row[i];
      const prev = row[i - 1];
      // A run breaks at a taken seat, a missing number or an aisle.
      const joined = prev && seat.number === prev.number + 1 && !aisles.has(prev.number);
      if (!joined) {
        consider();
        run = [];
      }
      if (isFree(seat.id)) run.push(seat);
      else {
        consider();
        run = [];
      }
    }
    consider();
    if (best) return (best as { ids: string[] }).ids;
  }
  return null;
}
