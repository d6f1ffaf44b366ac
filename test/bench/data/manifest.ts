// What a benchmark needs to know about a loaded synthetic England: how it was made, where it is, its
// size, the clients to act as (with their secrets), the settings and who places children at each.
import { GENERATOR_VERSION, currentLeads, type World } from './plan.js';
import type { LoadReport } from './loader.js';

export type ManifestDatabase = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export type Manifest = {
  note: string;
  generator: { seed: number; scale: number; asOf: string; version: number };
  database: ManifestDatabase;
  counts: Record<string, number>;
  timings: Record<string, number>;
  hostClient: { authorityId: string; clientId: string; clientSecret: string; role: 'hub-admin' };
  authorities: {
    id: string;
    name: string;
    region: string;
    clientId: string;
    clientSecret: string;
    role: 'officer';
  }[];
  provisions: {
    id: string;
    urn: string | null;
    providerId: string;
    hostAuthorityId: string;
    type: string;
    leadAuthorityId: string | null;
  }[];
  /** Each authority's open placement declarations, as provision ids. */
  placing: Record<string, string[]>;
};

/** A PostgreSQL URL with its password taken out. */
export const redactUrl = (url: string): string => {
  const u = new URL(url);
  u.password = '';
  return u.toString();
};

export const buildManifest = (world: World, report: LoadReport, database: ManifestDatabase): Manifest => {
  const leads = currentLeads(world);
  const placing: Record<string, string[]> = {};
  for (const a of world.members) placing[a.id] = [];
  for (const p of world.placements)
    if (p.endedOn === null)
      placing[world.authorities[p.authority]!.id]!.push(world.provisions[p.provision]!.id);
  return {
    note: 'bench data: known secrets, never load into a real hub',
    generator: {
      seed: world.options.seed,
      scale: world.options.scale,
      asOf: world.options.asOf,
      version: GENERATOR_VERSION,
    },
    database,
    counts: report.counts,
    timings: { ...report.timings, total: report.totalSeconds },
    hostClient: {
      authorityId: world.host.id,
      clientId: world.host.clientId,
      clientSecret: world.host.clientSecret,
      role: 'hub-admin',
    },
    authorities: world.members.map((a) => ({
      id: a.id,
      name: a.name,
      region: a.region,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      role: 'officer',
    })),
    provisions: world.provisions.map((p) => ({
      id: p.id,
      urn: p.urn,
      providerId: world.providers[p.provider]!.id,
      hostAuthorityId: world.authorities[p.host]!.id,
      type: p.type,
      leadAuthorityId: leads[p.index]! >= 0 ? world.authorities[leads[p.index]!]!.id : null,
    })),
    placing,
  };
};
