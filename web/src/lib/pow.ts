// Proof-of-work for waiting rooms that ask for it (ALTCHA v1): find `number` in
// 0..=maxnumber with SHA-256(salt + number) = challenge. The search runs in a Web Worker
// (pow.worker.ts) so the page stays responsive and can show progress.

export interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

/** How many numbers are tried between progress reports. */
export const PROGRESS_EVERY = 2000;

/**
 * Searches for the solution; reports progress in [0, 1] of the worst case now and then.
 * Resolves to the number, or null when none up to `maxnumber` matches.
 */
export async function solveChallenge(
  c: PowChallenge,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<number | null> {
  const encoder = new TextEncoder();
  for (let n = 0; n <= c.maxnumber; n++) {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n));
    if (hex(digest) === c.challenge) {
      onProgress(1);
      return n;
    }
    if (n % PROGRESS_EVERY === 0) onProgress(n / c.maxnumber);
  }
  return null;
}

/** The solution as ALTCHA clients send it (and the api reads from `X-Altcha`). */
export function encodeSolution(c: PowChallenge, number: number): string {
  return btoa(
    JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature }),
  );
}

export type WorkerMessage = { kind: 'progress'; fraction: number } | { kind: 'done'; number: number | null };

/** Solves `c` in a Web Worker; resolves to the encoded solution. */
export function solveInWorker(c: PowChallenge, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      if (e.data.kind === 'progress') {
        onProgress(e.data.fraction);
        return;
      }
      worker.terminate();
      if (e.data.number == null) reject(new Error('challenge has no solution'));
      else resolve(encodeSolution(c, e.data.number));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(c);
  });
}
