// The restricted-information signal: what a member without detail is told of a restricted record — that
// a member authority holds restricted information about a setting or provider, and whom to contact.
import { z } from 'zod';

/**
 * A signal's opaque id: stable for one viewing authority and one hidden record (across calls, processes
 * and restarts), different for every other viewer, and revealing nothing of the record — not its id,
 * its kind or its dates. A signal's end in the event feed carries the id its start carried.
 */
export const zSignalId = z
  .string()
  .regex(/^sig_[A-Za-z0-9_-]{22}$/)
  .describe('opaque, per viewing authority and hidden record');

/** The signal ids a view or a check reason stands for, sorted (their order tells nothing). */
export const zSignalIds = z.array(zSignalId);

/** The event types a signal-layer recipient receives in place of the record's own. */
export const SIGNAL_EVENT_TYPES = ['signal.raised', 'signal.ended'] as const;
