// The limiter batch checks run under: never more than its number at once, the rest in arrival order,
// and a failure frees its slot.
import { describe, expect, it } from 'vitest';
import { Semaphore } from '@ccx/server/testing';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('Semaphore', () => {
  it('runs at most max at once, the rest in the order they came, and frees a failed slot', async () => {
    const limit = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (n: number) =>
      limit.run(async () => {
        started.push(n);
        active++;
        peak = Math.max(peak, active);
        await tick();
        active--;
        if (n === 1) throw new Error('job 1 fails');
        return n;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(job));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    // Every slot came back: two more run at once straight away.
    const again = await Promise.all([job(6), job(7)]);
    expect(again).toEqual([6, 7]);
  });
});
