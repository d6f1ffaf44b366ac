import { z } from 'zod';
import {
  zPlacement,
  zPlacementDeclare,
  zPlacementEnd,
  zPlacementImport,
  zPlacementImportReport,
  zPlacementMine,
  zPlacementsAtProvisionInput,
  zPlacingAuthorities,
} from '@ccx/schema';
import { importPlacements } from '../../domain/placements/import.js';
import {
  declarePlacement,
  endPlacement,
  myPlacements,
  placingAuthoritiesAt,
} from '../../domain/placements/placements.js';
import { idempotent } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const placementsRouter = router({
  declare: roleProcedure('officer')
    .input(zPlacementDeclare)
    .output(zPlacement)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'placements.declare', input, () => declarePlacement(tx, ctx.actor, input)),
      ),
    ),
  end: roleProcedure('officer')
    .input(zPlacementEnd)
    .output(zPlacement)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'placements.end', input, () => endPlacement(tx, ctx.actor, input)),
      ),
    ),
  mine: authedProcedure
    .input(zPlacementMine)
    .output(z.array(zPlacement))
    .query(({ ctx, input }) => myPlacements(ctx.db, ctx.actor, input)),
  /** The authorities placing at a setting, for its lead and host authorities (audited as a read). */
  atProvision: authedProcedure
    .input(zPlacementsAtProvisionInput)
    .output(zPlacingAuthorities)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => placingAuthoritiesAt(tx, ctx.actor, input))),
  import: roleProcedure('officer')
    .input(zPlacementImport)
    .output(zPlacementImportReport)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'placements.import', input, () => importPlacements(tx, ctx.actor, input)),
      ),
    ),
});
