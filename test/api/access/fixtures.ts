// What the grants tests share: the layer at which a member reads an outcome, and a pre-placement request.
import type { Harness, Member } from '../../support/harness.js';

export const layerOf = async (h: Harness, m: Member, id: string) =>
  (await h.caller(m.officer).outcomes.get({ id })).layer;

export const prospective = (provisionId: string, extra: Record<string, unknown> = {}) => ({
  provisionId,
  reason: 'considering a placement for a child in our care',
  caseReference: 'CR-2026-0412',
  ...extra,
});
