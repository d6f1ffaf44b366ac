// Names beside ids (issue 16), as the suites expect them: an authority as `{ id, name }`, a setting as
// `{ id, urn, name }`, and the keys a signal carries (its names, and nothing more of the record).
import type { Harness, World } from '../support/harness.js';

/** An authority made with the factory's default name, as a view names it. */
export const councilRef = (id: string) => ({ id, name: `Council ${id}` });

/** A setting as a view names it. */
export const settingRef = (s: { id: string; urn: string | null; name: string }) => ({
  id: s.id,
  urn: s.urn,
  name: s.name,
});

/** The world's setting as the directory has it now. */
export const worldSetting = (h: Harness, w: World) =>
  h.caller(h.hubAdmin).provisions.get({ id: w.provision.id });

/** Every key of a restriction signal, sorted. */
export const RESTRICTION_SIGNAL_KEYS = [
  'contact',
  'layer',
  'message',
  'provider',
  'providerId',
  'provision',
  'provisionId',
  'signalIds',
];

/** Every key of a concern signal, sorted. */
export const CONCERN_SIGNAL_KEYS = ['contact', 'layer', 'message', 'provision', 'provisionId', 'signalIds'];
