// Who may change the directory. A setting's regulator facts (Ofsted grade and its date, registration
// status, URN, type) decide placement checks for every member — a suspended, inadequate home is
// do-not-place — so they change only by the setting's host authority (the one in whose area it stands
// and which deals with its regulator), the hub-admin, or the Ofsted import. Any other member proposes a
// correction, which the host or the hub-admin decides. Merging two entries is the hub-admin's alone.
import { roleRank, type Role } from '@ccx/schema';

/** Who changes the directory: a person or client of an authority, or the hub itself (the Ofsted import). */
export type DirectoryEditor = { authorityId: string; role: Role } | { system: 'ofsted-import' };

/** Allowed, and on which footing; or refused, and why (a sentence the caller is shown). */
export type DirectoryRight =
  | { allowed: true; as: 'hub-admin' | 'host' | 'member' | 'ofsted-import' }
  | { allowed: false; reason: string };

const refused = (reason: string): DirectoryRight => ({ allowed: false, reason });

/**
 * May this editor change a setting's facts (regulator facts, name, postcode) directly? The host
 * authority's officers and admins, the hub-admin, and the Ofsted import. Anyone else proposes a
 * correction. (Where it stands and whose it is are the hub-admin's alone: see mayMoveProvision.)
 */
export const mayChangeProvisionFacts = (
  editor: DirectoryEditor,
  provision: { hostAuthorityId: string },
): DirectoryRight => {
  if ('system' in editor) return { allowed: true, as: editor.system };
  if (editor.role === 'hub-admin') return { allowed: true, as: 'hub-admin' };
  if (editor.authorityId !== provision.hostAuthorityId)
    return refused(
      "only the setting's host authority or the hub-admin can change its regulator facts (Ofsted grade, registration status, URN, type), name or postcode; propose a correction instead (provisions.proposeCorrection)",
    );
  if (roleRank(editor.role) < roleRank('officer'))
    return refused("changing a setting's facts needs the officer role");
  return { allowed: true, as: 'host' };
};

/**
 * May this editor change a provider's facts (name, Companies House number)? The hub-admin, or an officer
 * of an authority that hosts one of its settings; anyone else proposes a correction.
 */
export const mayChangeProviderFacts = (
  editor: DirectoryEditor,
  provider: { hostAuthorityIds: readonly string[] },
): DirectoryRight => {
  if ('system' in editor) return { allowed: true, as: editor.system };
  if (editor.role === 'hub-admin') return { allowed: true, as: 'hub-admin' };
  if (!provider.hostAuthorityIds.includes(editor.authorityId))
    return refused(
      "only the hub-admin or the host authority of one of the provider's settings can change its name or Companies House number; propose a correction instead (providers.proposeCorrection)",
    );
  if (roleRank(editor.role) < roleRank('officer'))
    return refused("changing a provider's facts needs the officer role");
  return { allowed: true, as: 'host' };
};

/** Where a setting stands and whose it is decide who may see its records: only the hub-admin moves them. */
export const mayMoveProvision = (editor: DirectoryEditor): DirectoryRight =>
  'system' in editor || editor.role !== 'hub-admin'
    ? refused(
        "only the hub-admin can change a provision's host authority or provider: it decides who may see its records",
      )
    : { allowed: true, as: 'hub-admin' };

/** Merging two settings or two providers moves everything of one to the other: the hub-admin's alone. */
export const mayMergeDirectory = (editor: DirectoryEditor): DirectoryRight =>
  'system' in editor || editor.role !== 'hub-admin'
    ? refused('only the hub-admin can merge two settings or two providers')
    : { allowed: true, as: 'hub-admin' };

/** Any officer of an active member may propose a correction of any entry. */
export const mayProposeCorrection = (editor: DirectoryEditor): DirectoryRight =>
  'system' in editor || roleRank(editor.role) < roleRank('officer')
    ? refused('proposing a correction needs the officer role')
    : { allowed: true, as: editor.role === 'hub-admin' ? 'hub-admin' : 'member' };
