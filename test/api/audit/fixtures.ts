// What the audit tests share: the head of an authority's chain, read as the authority reads it.
import type { Harness, Member } from '../../support/harness.js';

export const headSeq = async (h: Harness, m: Member): Promise<number> =>
  (await h.caller(m.officer).audit.verify()).head?.seq ?? 0;
