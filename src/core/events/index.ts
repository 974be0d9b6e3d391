/**
 * TaskRouter events: their types, the data each type carries, and how to read them. The routing core builds them
 * (engine/events.ts); the store keeps them; the Events API, callbacks, statistics and the connector read them here.
 */
export * from './event-map.js';
export * from './field-groups.js';
