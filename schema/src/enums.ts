// Enumerations of the domain, with the sources they come from (see shared seeds).
import { z } from 'zod';

/** The nine English regions. */
export const REGIONS = [
  'north-east',
  'north-west',
  'yorkshire-and-the-humber',
  'east-midlands',
  'west-midlands',
  'east-of-england',
  'london',
  'south-east',
  'south-west',
] as const;
export const zRegion = z.enum(REGIONS);
export type Region = z.infer<typeof zRegion>;

export const MEMBERSHIP_STATUSES = ['active', 'suspended', 'left'] as const;
export const zMembershipStatus = z.enum(MEMBERSHIP_STATUSES);
export type MembershipStatus = z.infer<typeof zMembershipStatus>;

/** Client roles, least to most privileged. `hub-admin` exists only on the host authority. */
export const ROLES = ['viewer', 'officer', 'admin', 'hub-admin'] as const;
export const zRole = z.enum(ROLES);
export type Role = z.infer<typeof zRole>;
export const roleRank = (role: Role): number => ROLES.indexOf(role);

export const CLIENT_STATUSES = ['active', 'revoked'] as const;
export const zClientStatus = z.enum(CLIENT_STATUSES);

/** Kinds of setting a child may be placed in. `unregulated` covers settings outside Ofsted registration. */
export const PROVISION_TYPES = [
  'childrens-home',
  'short-breaks-home',
  'secure-childrens-home',
  'independent-fostering-agency',
  'residential-special-school',
  'residential-family-centre',
  'supported-accommodation',
  'unregulated',
] as const;
export const zProvisionType = z.enum(PROVISION_TYPES);
export type ProvisionType = z.infer<typeof zProvisionType>;

export const REGISTRATION_STATUSES = [
  'registered',
  'applied',
  'suspended',
  'cancelled',
  'closed',
  'not-required',
] as const;
export const zRegistrationStatus = z.enum(REGISTRATION_STATUSES);
export type RegistrationStatus = z.infer<typeof zRegistrationStatus>;

/** Ofsted's four-point scale plus "not yet inspected". */
export const OFSTED_GRADES = [
  'outstanding',
  'good',
  'requires-improvement',
  'inadequate',
  'not-yet-inspected',
] as const;
export const zOfstedGrade = z.enum(OFSTED_GRADES);
export type OfstedGrade = z.infer<typeof zOfstedGrade>;
