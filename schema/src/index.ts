export * from './common.js';
export * from './enums.js';
export * from './authorities.js';
export * from './clients.js';
export * from './directory.js';
