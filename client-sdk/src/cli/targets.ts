// Naming a setting on the command line or in a file: a provision id (UUID) or an Ofsted URN.
import type { CcxClient } from '../index.js';
import type { RouterInputs } from '../router.js';
import { CliError, EXIT, UsageError } from './errors.js';

export type CheckTarget = RouterInputs['checks']['placement'];

/** The hub's id check (RFC 9562 versions 1–8, and the nil and max ids); anything else would fail a whole batch. */
const UUID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;
/** Ofsted URNs: SC and six digits for social care settings, or six or seven digits. */
const URN = /^(?:SC\d{6}|\d{6,7})$/;

/** The target a value names, or undefined when it is neither a provision id nor an Ofsted URN. */
export const targetOf = (value: string): CheckTarget | undefined => {
  const v = value.trim();
  if (UUID.test(v)) return { provisionId: v.toLowerCase() };
  const urn = v.toUpperCase();
  return URN.test(urn) ? { urn } : undefined;
};

/** A provision id from an id or an Ofsted URN given as an option (the list filters take ids). */
export const resolveProvisionId = async (ccx: CcxClient, value: string, option: string): Promise<string> => {
  const target = targetOf(value);
  if (!target)
    throw new UsageError(`${option} must be a provision id (UUID) or an Ofsted URN such as SC123456`);
  if ('provisionId' in target) return target.provisionId;
  const found = await ccx.provisions.search.query({ urn: target.urn, limit: 1 });
  const first = found.items[0];
  if (!first) throw new CliError(`no provision with Ofsted URN ${target.urn}`, EXIT.notFound);
  return first.id;
};
