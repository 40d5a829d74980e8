// Hold countdowns from the server's `expiresAt`, corrected for the browser clock's skew.

/** Milliseconds left until `expiresAt`, never negative. `skewMs` = server clock − browser clock. */
export function remainingMs(expiresAt: string, nowMs: number, skewMs = 0): number {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - (nowMs + skewMs));
}

/** "4:05", "0:09"; hours when needed ("1:02:03"). Rounds up so 0:00 means really over. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How urgent a countdown looks. */
export function urgency(ms: number): 'ok' | 'soon' | 'over' {
  if (ms <= 0) return 'over';
  return ms <= 60_000 ? 'soon' : 'ok';
}

/** "약 3분" / "about 3 min"-style ETA buckets in seconds → display minutes (≥1). */
export function etaMinutes(etaSeconds: number | null | undefined): number | null {
  if (etaSeconds == null || !Number.isFinite(etaSeconds)) return null;
  return Math.max(1, Math.ceil(etaSeconds / 60));
}
