// The 153 English councils with children's services, by region, with approximate populations (in
// thousands) that weight how many settings they host and how many children they place. GSS codes are
// synthetic: the right form (E06 unitary, E08 metropolitan, E09 London, E10 county), not the ONS's.
import type { Region } from '@ccx/schema';

type Kind = 'unitary' | 'metropolitan' | 'london' | 'county';
type Row = readonly [name: string, kind: Kind, population: number];

const U = 'unitary';
const M = 'metropolitan';
const L = 'london';
const C = 'county';

export const COUNCILS: Record<Region, readonly Row[]> = {
  'north-east': [
    ['County Durham', U, 522],
    ['Darlington', U, 108],
    ['Gateshead', M, 196],
    ['Hartlepool', U, 92],
    ['Middlesbrough', U, 144],
    ['Newcastle upon Tyne', M, 300],
    ['North Tyneside', M, 209],
    ['Northumberland', U, 320],
    ['Redcar and Cleveland', U, 136],
    ['South Tyneside', M, 148],
    ['Stockton-on-Tees', U, 197],
    ['Sunderland', M, 274],
  ],
  'north-west': [
    ['Blackburn with Darwen', U, 154],
    ['Blackpool', U, 141],
    ['Bolton', M, 296],
    ['Bury', M, 193],
    ['Cheshire East', U, 398],
    ['Cheshire West and Chester', U, 357],
    ['Cumberland', U, 273],
    ['Westmorland and Furness', U, 225],
    ['Halton', U, 128],
    ['Knowsley', M, 154],
    ['Lancashire', C, 1235],
    ['Liverpool', M, 486],
    ['Manchester', M, 552],
    ['Oldham', M, 242],
    ['Rochdale', M, 223],
    ['Salford', M, 270],
    ['Sefton', M, 279],
    ['St Helens', M, 183],
    ['Stockport', M, 294],
    ['Tameside', M, 231],
    ['Trafford', M, 235],
    ['Warrington', U, 210],
    ['Wigan', M, 330],
    ['Wirral', M, 320],
  ],
  'yorkshire-and-the-humber': [
    ['Barnsley', M, 244],
    ['Bradford', M, 546],
    ['Calderdale', M, 206],
    ['Doncaster', M, 308],
    ['East Riding of Yorkshire', U, 342],
    ['Kingston upon Hull', U, 267],
    ['Kirklees', M, 433],
    ['Leeds', M, 812],
    ['North East Lincolnshire', U, 157],
    ['North Lincolnshire', U, 169],
    ['North Yorkshire', U, 615],
    ['Rotherham', M, 265],
    ['Sheffield', M, 556],
    ['Wakefield', M, 353],
    ['York', U, 202],
  ],
  'east-midlands': [
    ['Derby', U, 261],
    ['Derbyshire', C, 794],
    ['Leicester', U, 368],
    ['Leicestershire', C, 712],
    ['Lincolnshire', C, 768],
    ['North Northamptonshire', U, 359],
    ['West Northamptonshire', U, 425],
    ['Nottingham', U, 323],
    ['Nottinghamshire', C, 824],
    ['Rutland', U, 41],
  ],
  'west-midlands': [
    ['Birmingham', M, 1144],
    ['Coventry', M, 345],
    ['Dudley', M, 323],
    ['Herefordshire', U, 187],
    ['Sandwell', M, 341],
    ['Shropshire', U, 323],
    ['Solihull', M, 216],
    ['Staffordshire', C, 876],
    ['Stoke-on-Trent', U, 258],
    ['Telford and Wrekin', U, 185],
    ['Walsall', M, 284],
    ['Warwickshire', C, 596],
    ['Wolverhampton', M, 263],
    ['Worcestershire', C, 603],
  ],
  'east-of-england': [
    ['Bedford', U, 185],
    ['Cambridgeshire', C, 678],
    ['Central Bedfordshire', U, 294],
    ['Essex', C, 1503],
    ['Hertfordshire', C, 1198],
    ['Luton', U, 225],
    ['Norfolk', C, 916],
    ['Peterborough', U, 215],
    ['Southend-on-Sea', U, 180],
    ['Suffolk', C, 760],
    ['Thurrock', U, 176],
  ],
  london: [
    ['City of London', L, 9],
    ['Barking and Dagenham', L, 219],
    ['Barnet', L, 389],
    ['Bexley', L, 246],
    ['Brent', L, 339],
    ['Bromley', L, 330],
    ['Camden', L, 210],
    ['Croydon', L, 391],
    ['Ealing', L, 367],
    ['Enfield', L, 330],
    ['Greenwich', L, 289],
    ['Hackney', L, 259],
    ['Hammersmith and Fulham', L, 183],
    ['Haringey', L, 264],
    ['Harrow', L, 261],
    ['Havering', L, 262],
    ['Hillingdon', L, 306],
    ['Hounslow', L, 288],
    ['Islington', L, 217],
    ['Kensington and Chelsea', L, 143],
    ['Kingston upon Thames', L, 168],
    ['Lambeth', L, 317],
    ['Lewisham', L, 300],
    ['Merton', L, 215],
    ['Newham', L, 351],
    ['Redbridge', L, 310],
    ['Richmond upon Thames', L, 195],
    ['Southwark', L, 307],
    ['Sutton', L, 209],
    ['Tower Hamlets', L, 310],
    ['Waltham Forest', L, 278],
    ['Wandsworth', L, 328],
    ['Westminster', L, 204],
  ],
  'south-east': [
    ['Bracknell Forest', U, 125],
    ['Brighton and Hove', U, 277],
    ['Buckinghamshire', U, 553],
    ['East Sussex', C, 546],
    ['Hampshire', C, 1400],
    ['Isle of Wight', U, 140],
    ['Kent', C, 1576],
    ['Medway', U, 279],
    ['Milton Keynes', U, 287],
    ['Oxfordshire', C, 725],
    ['Portsmouth', U, 208],
    ['Reading', U, 174],
    ['Slough', U, 158],
    ['Southampton', U, 249],
    ['Surrey', C, 1203],
    ['West Berkshire', U, 161],
    ['West Sussex', C, 882],
    ['Windsor and Maidenhead', U, 153],
    ['Wokingham', U, 177],
  ],
  'south-west': [
    ['Bath and North East Somerset', U, 193],
    ['Bournemouth, Christchurch and Poole', U, 400],
    ['Bristol', U, 472],
    ['Cornwall', U, 570],
    ['Devon', C, 811],
    ['Dorset', U, 379],
    ['Gloucestershire', C, 645],
    ['Isles of Scilly', U, 2],
    ['North Somerset', U, 216],
    ['Plymouth', U, 265],
    ['Somerset', U, 571],
    ['South Gloucestershire', U, 290],
    ['Swindon', U, 233],
    ['Torbay', U, 139],
    ['Wiltshire', U, 510],
  ],
};

const GSS_PREFIX: Record<Kind, string> = {
  unitary: 'E06',
  metropolitan: 'E08',
  london: 'E09',
  county: 'E10',
};

const ROYAL_BOROUGHS = new Set(['Kensington and Chelsea', 'Greenwich', 'Kingston upon Thames']);
const CITY_COUNCILS = new Set(['Westminster']);

const councilName = (name: string, kind: Kind): string => {
  if (name === 'City of London') return 'City of London Corporation';
  if (ROYAL_BOROUGHS.has(name)) return `Royal Borough of ${name}`;
  if (CITY_COUNCILS.has(name)) return `${name} City Council`;
  if (kind === 'london') return `London Borough of ${name}`;
  if (kind === 'county') return `${name} County Council`;
  return `${name} Council`;
};

export const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export type Council = {
  id: string;
  /** The place, as people say it: "Kent". */
  place: string;
  name: string;
  region: Region;
  gssCode: string;
  population: number;
};

/** Every council, sorted by id, with a synthetic GSS code unique within its kind. */
export const councils = (): Council[] => {
  const next: Record<Kind, number> = { unitary: 1, metropolitan: 1, london: 1, county: 1 };
  const all: Council[] = [];
  for (const [region, rows] of Object.entries(COUNCILS) as [Region, readonly Row[]][]) {
    for (const [place, kind, population] of rows) {
      const n = next[kind]++;
      all.push({
        id: slugOf(place),
        place,
        name: councilName(place, kind),
        region,
        gssCode: `${GSS_PREFIX[kind]}${String(n).padStart(6, '0')}`,
        population,
      });
    }
  }
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
};

/** Regions next to each other, where "near home" placements that leave the home region go. */
export const NEIGHBOURS: Record<Region, readonly Region[]> = {
  'north-east': ['north-west', 'yorkshire-and-the-humber'],
  'north-west': ['north-east', 'yorkshire-and-the-humber', 'west-midlands'],
  'yorkshire-and-the-humber': ['north-east', 'north-west', 'east-midlands'],
  'east-midlands': ['yorkshire-and-the-humber', 'west-midlands', 'east-of-england'],
  'west-midlands': ['north-west', 'east-midlands', 'south-west', 'south-east'],
  'east-of-england': ['east-midlands', 'london', 'south-east'],
  london: ['south-east', 'east-of-england'],
  'south-east': ['london', 'east-of-england', 'south-west', 'west-midlands'],
  'south-west': ['south-east', 'west-midlands'],
};

/** How many settings a region hosts per head: homes cluster where property is cheaper. */
export const HOSTING_FACTOR: Record<Region, number> = {
  'north-east': 1.2,
  'north-west': 1.7,
  'yorkshire-and-the-humber': 1.15,
  'east-midlands': 1.0,
  'west-midlands': 1.35,
  'east-of-england': 0.75,
  london: 0.35,
  'south-east': 0.8,
  'south-west': 0.9,
};

/** How many children a region's councils look after per head. */
export const CARE_FACTOR: Record<Region, number> = {
  'north-east': 1.55,
  'north-west': 1.35,
  'yorkshire-and-the-humber': 1.1,
  'east-midlands': 0.9,
  'west-midlands': 1.15,
  'east-of-england': 0.8,
  london: 0.85,
  'south-east': 0.85,
  'south-west': 0.9,
};

/** Postcode areas of each region, for settings' postcodes. */
export const POSTCODE_AREAS: Record<Region, readonly string[]> = {
  'north-east': ['NE', 'DH', 'SR', 'TS', 'DL'],
  'north-west': ['M', 'L', 'BL', 'PR', 'CA', 'WA', 'CH', 'BB', 'FY', 'LA', 'OL', 'SK', 'WN', 'CW'],
  'yorkshire-and-the-humber': ['LS', 'BD', 'HD', 'HX', 'S', 'DN', 'HU', 'YO', 'WF', 'HG'],
  'east-midlands': ['NG', 'DE', 'LE', 'LN', 'NN', 'PE'],
  'west-midlands': ['B', 'CV', 'DY', 'ST', 'TF', 'WS', 'WV', 'WR', 'HR'],
  'east-of-england': ['CB', 'CO', 'CM', 'IP', 'NR', 'LU', 'SG', 'SS', 'AL', 'MK'],
  london: ['E', 'N', 'SE', 'SW', 'W', 'NW', 'BR', 'CR', 'DA', 'EN', 'HA', 'IG', 'KT', 'RM', 'SM', 'TW', 'UB'],
  'south-east': ['ME', 'CT', 'TN', 'BN', 'RH', 'GU', 'PO', 'SO', 'RG', 'OX', 'HP', 'SL'],
  'south-west': ['BS', 'BA', 'EX', 'PL', 'TR', 'TQ', 'TA', 'GL', 'SN', 'BH', 'DT'],
};
