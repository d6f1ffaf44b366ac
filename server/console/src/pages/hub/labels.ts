// Words for the hub's codes on the partnership pages: regions, membership statuses, setting types,
// registration statuses and Ofsted grades. Typed against the router, so a code the hub adds fails to compile.
import type { Option, TagColour } from '../../components/govuk.js';
import type { Inputs, Outputs } from '../../trpc.js';

export type Authority = Outputs['authorities']['list'][number];
export type Region = Inputs['authorities']['create']['region'];
export type MembershipStatus = Authority['status'];
export type Provision = Outputs['provisions']['get'];
export type ProvisionType = Provision['type'];
export type RegistrationStatus = Provision['registrationStatus'];
export type OfstedGrade = Provision['ofstedGrade'];

export const REGION_NAMES: Record<Region, string> = {
  'north-east': 'North East',
  'north-west': 'North West',
  'yorkshire-and-the-humber': 'Yorkshire and the Humber',
  'east-midlands': 'East Midlands',
  'west-midlands': 'West Midlands',
  'east-of-england': 'East of England',
  london: 'London',
  'south-east': 'South East',
  'south-west': 'South West',
};

export const STATUS_NAMES: Record<MembershipStatus, string> = {
  active: 'Active',
  suspended: 'Suspended',
  left: 'Left',
};
export const STATUS_COLOURS: Record<MembershipStatus, TagColour> = {
  active: 'green',
  suspended: 'orange',
  left: 'grey',
};

export const TYPE_NAMES: Record<ProvisionType, string> = {
  'childrens-home': "Children's home",
  'short-breaks-home': 'Short breaks home',
  'secure-childrens-home': "Secure children's home",
  'independent-fostering-agency': 'Independent fostering agency',
  'residential-special-school': 'Residential special school',
  'residential-family-centre': 'Residential family centre',
  'supported-accommodation': 'Supported accommodation',
  unregulated: 'Unregulated',
};

export const REGISTRATION_NAMES: Record<RegistrationStatus, string> = {
  registered: 'Registered',
  applied: 'Applied',
  suspended: 'Suspended',
  cancelled: 'Cancelled',
  closed: 'Closed',
  'not-required': 'Not required',
};

export const GRADE_NAMES: Record<OfstedGrade, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  'requires-improvement': 'Requires improvement',
  inadequate: 'Inadequate',
  'not-yet-inspected': 'Not yet inspected',
};

/** Options for a select, with a first "choose" option whose value is empty. */
export const optionsOf = <K extends string>(names: Record<K, string>, choose?: string): Option[] => [
  ...(choose ? [{ value: '', label: choose }] : []),
  ...(Object.entries(names) as [K, string][]).map(([value, label]) => ({ value, label })),
];
