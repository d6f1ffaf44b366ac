// access.explain for the calling authority: the policy's answer to "why can (or can't) I see this".
import type { ExplainInput, Explanation } from '@ccx/schema';
import { explainAccess } from '../../access/index.js';
import type { Db } from '../../db/index.js';
import type { Actor } from '../actor.js';

export const explain = (db: Db, actor: Actor, input: ExplainInput): Promise<Explanation> =>
  explainAccess(db, actor.authorityId, input, actor.now);
