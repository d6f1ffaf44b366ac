// placements.import: an authority's whole list of placements at once (the yearly data input).
// All or nothing: any bad row and nothing changes, with every bad row reported. Declarations open
// before the import and absent from it are ended; changed counts supersede the open declaration.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { zChildren, zDate, zId, zOfstedUrn, type PlacementImportReport } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { placements, provisions } from '../../db/schema/index.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { londonDate } from '../../shared/dates.js';

type RowError = { row: number; field: string; message: string };
type GoodRow = { row: number; provisionId: string; children: number; fromDate: string };

const CHUNK = 2000;

const chunks = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

const firstMessage = (r: { success: false; error: { issues: { message: string }[] } }): string =>
  r.error.issues[0]?.message ?? 'invalid';

export const importPlacements = async (
  tx: Db,
  actor: Actor,
  input: {
    rows: { provisionId?: unknown; urn?: unknown; children?: unknown; fromDate?: unknown }[];
    dryRun: boolean;
    endMissing: boolean;
    asOf?: string | undefined;
  },
): Promise<PlacementImportReport> => {
  const asOf = input.asOf ?? londonDate(actor.now);
  const errors: RowError[] = [];
  // Each row's fields are checked independently, so one pass reports every problem of every row.
  const parsed: {
    row: number;
    ok: boolean;
    provisionId?: string;
    urn?: string;
    children: number;
    fromDate: string;
  }[] = [];

  input.rows.forEach((raw, i) => {
    const row = i + 1;
    const before = errors.length;
    const hasId = raw.provisionId !== undefined && raw.provisionId !== null && raw.provisionId !== '';
    const hasUrn = raw.urn !== undefined && raw.urn !== null && raw.urn !== '';
    let provisionId: string | undefined;
    let urn: string | undefined;
    if (hasId === hasUrn) {
      errors.push({ row, field: 'provision', message: 'give exactly one of provisionId or urn' });
    } else if (hasId) {
      const r = zId.safeParse(raw.provisionId);
      if (r.success) provisionId = r.data;
      else errors.push({ row, field: 'provisionId', message: firstMessage(r) });
    } else {
      const r = zOfstedUrn.safeParse(raw.urn);
      if (r.success) urn = r.data;
      else errors.push({ row, field: 'urn', message: firstMessage(r) });
    }
    const children = zChildren.safeParse(
      typeof raw.children === 'string' && /^-?\d+$/.test(raw.children.trim())
        ? Number(raw.children)
        : raw.children,
    );
    if (!children.success) errors.push({ row, field: 'children', message: firstMessage(children) });
    let fromDate = asOf;
    if (raw.fromDate !== undefined && raw.fromDate !== null && raw.fromDate !== '') {
      const d = zDate.safeParse(raw.fromDate);
      if (d.success) fromDate = d.data;
      else errors.push({ row, field: 'fromDate', message: firstMessage(d) });
    }
    if (provisionId || urn) {
      parsed.push({
        row,
        ok: errors.length === before,
        ...(provisionId ? { provisionId } : {}),
        ...(urn ? { urn } : {}),
        children: children.success ? children.data : 0,
        fromDate,
      });
    }
  });

  // Resolve URNs and check ids in a few set queries, not one query per row.
  const urns = [...new Set(parsed.flatMap((p) => (p.urn ? [p.urn] : [])))];
  const ids = [...new Set(parsed.flatMap((p) => (p.provisionId ? [p.provisionId] : [])))];
  const byUrn = new Map<string, string>();
  const knownIds = new Set<string>();
  for (const part of chunks(urns)) {
    for (const r of await tx
      .select({ id: provisions.id, urn: provisions.urn })
      .from(provisions)
      .where(inArray(provisions.urn, part))) {
      if (r.urn) byUrn.set(r.urn, r.id);
    }
  }
  for (const part of chunks(ids)) {
    for (const r of await tx
      .select({ id: provisions.id })
      .from(provisions)
      .where(inArray(provisions.id, part)))
      knownIds.add(r.id);
  }

  const good: GoodRow[] = [];
  const seen = new Map<string, number>();
  for (const p of parsed) {
    const provisionId = p.urn ? byUrn.get(p.urn) : knownIds.has(p.provisionId!) ? p.provisionId : undefined;
    if (!provisionId) {
      errors.push(
        p.urn
          ? { row: p.row, field: 'urn', message: `no provision with Ofsted URN ${p.urn}` }
          : { row: p.row, field: 'provisionId', message: `no provision ${p.provisionId}` },
      );
      continue;
    }
    const earlier = seen.get(provisionId);
    if (earlier !== undefined) {
      errors.push({
        row: p.row,
        field: 'provision',
        message: `duplicate of row ${earlier}: the same provision appears twice`,
      });
      continue;
    }
    seen.set(provisionId, p.row);
    if (p.ok) good.push({ row: p.row, provisionId, children: p.children, fromDate: p.fromDate });
  }
  const open = await tx
    .select({
      id: placements.id,
      provisionId: placements.provisionId,
      children: placements.children,
      fromDate: placements.fromDate,
    })
    .from(placements)
    .where(and(eq(placements.authorityId, actor.authorityId), isNull(placements.endedOn)))
    .for('update');
  const openByProvision = new Map(open.map((o) => [o.provisionId, o]));

  const toOpen: GoodRow[] = [];
  const toEnd: { id: string; endedOn: string }[] = [];
  let unchanged = 0;
  let changed = 0;
  for (const g of good) {
    const current = openByProvision.get(g.provisionId);
    if (!current) toOpen.push(g);
    else if (current.children === g.children) unchanged++;
    else {
      if (g.fromDate < current.fromDate) {
        errors.push({
          row: g.row,
          field: 'fromDate',
          message: `${g.fromDate} is before the open declaration's ${current.fromDate}`,
        });
        continue;
      }
      changed++;
      toEnd.push({ id: current.id, endedOn: g.fromDate });
      toOpen.push(g);
    }
  }
  const listed = new Set(good.map((g) => g.provisionId));
  const missing = input.endMissing ? open.filter((o) => !listed.has(o.provisionId)) : [];
  for (const m of missing) toEnd.push({ id: m.id, endedOn: asOf < m.fromDate ? m.fromDate : asOf });

  errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  const report: PlacementImportReport = {
    dryRun: input.dryRun,
    applied: false,
    rows: input.rows.length,
    errors,
    opened: toOpen.length - changed,
    changed,
    unchanged,
    ended: missing.length,
  };
  if (errors.length > 0 || input.dryRun) return report;

  for (const part of chunks(toEnd)) {
    // One statement per chunk: each row gets its own end date through a VALUES list.
    const values = sql.join(
      part.map((e) => sql`(${e.id}::uuid, ${e.endedOn}::date)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${placements} set ended_on = v.ended_on, version = ${placements.version} + 1, updated_at = now()
          from (values ${values}) as v(id, ended_on) where ${placements.id} = v.id`,
    );
  }
  for (const part of chunks(toOpen)) {
    await tx.insert(placements).values(
      part.map((g) => ({
        authorityId: actor.authorityId,
        provisionId: g.provisionId,
        children: g.children,
        fromDate: g.fromDate,
        createdBy: actedBy(actor),
      })),
    );
  }
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'placement.import',
    recordType: 'placement',
    provisionIds: [...new Set([...toOpen.map((g) => g.provisionId), ...missing.map((m) => m.provisionId)])],
    basis: 'placing',
    details: {
      rows: input.rows.length,
      opened: report.opened,
      changed,
      unchanged,
      ended: missing.length,
      asOf,
    },
  });
  return { ...report, applied: true };
};
