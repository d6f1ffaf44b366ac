// Gives committed events their feed position (seq) in commit order. Event ids come from a sequence and
// can commit out of order, so the position is given after the commit, not at the insert: each pass (one
// at a time, under an advisory lock) numbers the committed events it sees after the highest position
// given so far, in one transaction. A reader therefore never finds a position below one it has read: an
// event whose transaction is still open gets a higher position in a later pass. Nothing waits for other
// transactions — an unrelated long one elsewhere on the server holds no event back.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/index.js';

const SEQUENCER_LOCK = 0x63637810;

/** Sequences what is ready; returns how many events got a position. Safe with several processes. */
export const sequenceEvents = async (db: Db): Promise<number> =>
  db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as ok`);
    const ok = (Array.isArray(locked) ? locked : (locked as { rows: unknown[] }).rows)[0] as
      { ok: boolean } | undefined;
    if (!ok?.ok) return 0;
    const result = await tx.execute(sql`
      with base as (select coalesce(max(seq), 0) as top from events),
      ready as (
        select id, row_number() over (order by id) as n from events
        where seq is null
      )
      update events e set seq = base.top + ready.n from ready, base where e.id = ready.id
      returning e.seq`);
    return rowsOf(result).length;
  });
