import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('provisions', () => {
  it('creates and gets a provision', async () => {
    const p = await h.makeProvision({ name: 'Oak Lodge', urn: 'SC123456' });
    const got = await h.caller(h.hubAdmin).provisions.get({ id: p.id });
    expect(got).toMatchObject({
      name: 'Oak Lodge',
      urn: 'SC123456',
      version: 1,
      ofstedGrade: 'not-yet-inspected',
    });
  });
});
