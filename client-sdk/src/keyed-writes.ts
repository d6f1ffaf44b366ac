// The writes the hub makes idempotent by key: a repeat with the same idempotencyKey answers the first
// result and changes nothing. Only these are safe for the SDK to retry. The compiler holds the list
// to the router: every procedure whose input takes an idempotencyKey must be here, and nothing else.
import type { RouterInputs } from './router.js';

type Input<R extends keyof RouterInputs, P extends keyof RouterInputs[R]> = Exclude<
  RouterInputs[R][P],
  void | undefined
>;

/** Every `router.procedure` whose input has an idempotencyKey. */
type Router = Extract<keyof RouterInputs, string>;
type KeyedPath = {
  [R in Router]: {
    // A procedure without input (never here) takes no key.
    [P in keyof RouterInputs[R] & string]: [Input<R, P>] extends [never]
      ? never
      : 'idempotencyKey' extends keyof Input<R, P>
        ? `${R}.${P}`
        : never;
  }[keyof RouterInputs[R] & string];
}[Router];

const KEYED = [
  'access.requestProspective',
  'access.share',
  'allocations.assign',
  'authorities.create',
  'authorities.update',
  'concerns.close',
  'concerns.correct',
  'concerns.log',
  'concerns.substantiate',
  'concerns.unsubstantiate',
  'corrections.accept',
  'corrections.decline',
  'outcomes.amend',
  'outcomes.create',
  'outcomes.publish',
  'outcomes.updateActionItem',
  'outcomes.withdraw',
  'placements.declare',
  'placements.end',
  'placements.import',
  'providers.create',
  'providers.merge',
  'providers.proposeCorrection',
  'providers.update',
  'provisions.create',
  'provisions.merge',
  'provisions.proposeCorrection',
  'provisions.update',
  'restrictions.comply',
  'restrictions.create',
  'restrictions.lift',
  'restrictions.review',
  'restrictions.update',
  'webhooks.create',
] as const satisfies readonly KeyedPath[];

// A compile error here names a keyed procedure missing from the list.
const complete: [Exclude<KeyedPath, (typeof KEYED)[number]>] extends [never] ? true : false = true;
void complete;

export const KEYED_WRITES: ReadonlySet<string> = new Set(KEYED);
