// Runs the policy table (cases.ts) through the in-memory face: layer, rule and deciding basis, and
// explain's "what would grant more", which is empty exactly when detail is granted.
import { describe, expect, it } from 'vitest';
import { BASES, LAYERS, type Basis, type Layer } from '@ccx/schema';
import { checkRecord, whatWouldGrant } from '@ccx/server/testing';
import { POLICY_CASES } from './cases.js';

describe('need-to-know policy table', () => {
  it('has a case for every layer and every deciding basis', () => {
    const layers = new Set<Layer>(POLICY_CASES.map((t) => t.expected.layer));
    expect([...layers].sort()).toEqual([...LAYERS].sort());
    const deciding = new Set<Basis>(
      POLICY_CASES.flatMap((t) => (t.expected.basis ? [t.expected.basis] : [])),
    );
    expect([...deciding].sort()).toEqual([...BASES].sort());
    expect(new Set(POLICY_CASES.map((t) => t.name)).size).toBe(POLICY_CASES.length);
    expect(POLICY_CASES.length).toBeGreaterThanOrEqual(70);
  });

  it.each(POLICY_CASES)('$name', ({ world, caller, record, expected }) => {
    const decision = checkRecord(world, caller, record);
    expect({ layer: decision.layer, rule: decision.rule, basis: decision.basis }).toEqual(expected);
    if (expected.basis) expect(decision.bases.map((b) => b.basis)).toContain(expected.basis);

    const contact = world.authorities.find((a) => a.id === record.publisherAuthorityId)?.qaInbox;
    const wouldGrant = whatWouldGrant(decision, record, contact);
    if (decision.layer === 'detail') expect(wouldGrant).toEqual([]);
    else expect(wouldGrant).not.toEqual([]);
    // The signal names only whom to contact, never what the record is about.
    if (decision.layer === 'signal') expect(wouldGrant.join(' ')).toContain(contact ?? 'missing contact');
  });
});
