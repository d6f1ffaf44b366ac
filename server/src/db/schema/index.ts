export * from './authorities.js';
export * from './clients.js';
export * from './providers.js';
export * from './provisions.js';
export * from './signing-keys.js';
