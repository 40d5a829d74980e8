import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { encodeSolution, solveChallenge, type PowChallenge } from './pow';

/** A challenge made the way the api makes one (ALTCHA v1). */
function challenge(number: number, maxnumber: number): PowChallenge {
  const salt = 'a1b2c3d4e5f6a1b2c3d4e5f6?expires=4102444800&evt=e&usr=u';
  const digest = createHash('sha256').update(salt + number).digest('hex');
  const signature = createHmac('sha256', 'k').update(digest).digest('hex');
  return { algorithm: 'SHA-256', challenge: digest, maxnumber, salt, signature };
}

describe('proof-of-work solver', () => {
  it('finds the number and reports rising progress up to 1', async () => {
    const c = challenge(4321, 5000);
    const seen: number[] = [];
    expect(await solveChallenge(c, (f) => seen.push(f))).toBe(4321);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });

  it('gives up past maxnumber', async () => {
    expect(await solveChallenge(challenge(900, 100))).toBeNull();
  });

  it('encodes the solution as the base64 JSON payload ALTCHA clients send', () => {
    const c = challenge(7, 10);
    const payload = JSON.parse(atob(encodeSolution(c, 7)));
    expect(payload).toEqual({
      algorithm: 'SHA-256',
      challenge: c.challenge,
      number: 7,
      salt: c.salt,
      signature: c.signature,
    });
  });
});
