// The hub-admin's monitoring report: per lead authority, the settings it leads today, its own visits
// to them made in time or out of time, and how many are overdue now or never monitored. One statement,
// whatever the number of authorities, settings and outcomes.
//
// Only outcomes that count as monitoring (rules.ts: a quality-monitoring activity published by the
// lead) are visits here: they make the schedule. A visit is in time when its activity date is on or
// before the date it was due: the date the setting's visit before it set (rules.ts nextDue, with the
// interval that applies to the setting today, shortened while a risk trigger holds), or — for a
// setting's first visit — the lead allocation's start plus that interval.
//
// Indexes: the current lead allocations can be found through allocations_one_current (provision_id, role,
// where not ended); each led setting's counting outcomes through outcomes_monitoring_idx (provision_id,
// activity_date, published_at, where published or amended, by the lead, of a monitoring type) — the
// query reads only counting visits of led settings, never the whole outcomes table.
import { sql } from 'drizzle-orm';
import { type MonitoringReport } from '@ccx/schema';
import { currentLeadSql } from '../../access/index.js';
import { rowsOf, type Db } from '../../db/index.js';
import { nameAll } from '../../db/names.js';
import { allocations, monitoringFrequencies, outcomes, provisions } from '../../db/schema/index.js';
import { londonDate } from '../../shared/dates.js';
import type { Actor } from '../actor.js';
import { countsAsMonitoringSql, intervalSql, nextDueSql } from './rules.js';

type Row = {
  authority_id: string;
  settings_allocated: number | string;
  visits_in_time: number | string;
  visits_out_of_time: number | string;
  overdue_now: number | string;
  never_monitored: number | string;
};

export const monitoringReport = async (db: Db, actor: Actor): Promise<MonitoringReport> => {
  const today = londonDate(actor.now);
  const interval = intervalSql(provisions, today);
  const lead = { months: sql`lead.months`, shortened: sql`lead.shortened` };
  const due = nextDueSql(sql`o.activity_date`, sql`o.next_due_on`, lead);
  const result = await db.execute(sql`
    with lead as (
      select ${allocations.authorityId} as authority_id,
             ${allocations.provisionId} as provision_id,
             ${allocations.startsOn} as starts_on,
             ${interval.months} as months,
             ${interval.shortened} as shortened
        from ${allocations}
        join ${provisions} on ${provisions.id} = ${allocations.provisionId}
        left join ${monitoringFrequencies} on ${monitoringFrequencies.provisionType} = ${provisions.type}
       where ${currentLeadSql(today)}
    ),
    visits as (
      select o.provision_id,
             o.authority_id,
             o.activity_date,
             ${due} as next_due,
             lag(${due})
               over (partition by o.provision_id order by o.activity_date, o.published_at) as due_on,
             row_number()
               over (partition by o.provision_id order by o.activity_date desc, o.published_at desc) as recency
        from ${outcomes} o
        join lead on lead.provision_id = o.provision_id
       where ${countsAsMonitoringSql({ status: sql`o.status`, byLead: sql`o.by_lead`, activityType: sql`o.activity_type` })}
    )
    select lead.authority_id,
           count(distinct lead.provision_id) as settings_allocated,
           count(visits.provision_id) filter (
             where visits.authority_id = lead.authority_id
               and visits.activity_date <= coalesce(visits.due_on, (lead.starts_on + make_interval(months => lead.months))::date)
           ) as visits_in_time,
           count(visits.provision_id) filter (
             where visits.authority_id = lead.authority_id
               and visits.activity_date > coalesce(visits.due_on, (lead.starts_on + make_interval(months => lead.months))::date)
           ) as visits_out_of_time,
           count(visits.provision_id) filter (
             where visits.recency = 1 and visits.next_due < ${today}::date
           ) as overdue_now,
           count(distinct lead.provision_id) filter (where visits.provision_id is null) as never_monitored
      from lead
      left join visits on visits.provision_id = lead.provision_id
     group by lead.authority_id
     order by lead.authority_id
  `);
  return {
    asOf: today,
    rows: await nameAll(
      db,
      rowsOf<Row>(result).map((r) => ({
        authorityId: r.authority_id,
        settingsAllocated: Number(r.settings_allocated),
        visitsInTime: Number(r.visits_in_time),
        visitsOutOfTime: Number(r.visits_out_of_time),
        overdueNow: Number(r.overdue_now),
        neverMonitored: Number(r.never_monitored),
      })),
    ),
  };
};
