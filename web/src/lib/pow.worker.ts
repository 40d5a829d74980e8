// Runs the proof-of-work search off the page's main thread (see pow.ts).
import { solveChallenge, type PowChallenge, type WorkerMessage } from './pow';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<PowChallenge>) => {
  const number = await solveChallenge(e.data, (fraction) => post({ kind: 'progress', fraction }));
  post({ kind: 'done', number });
};
