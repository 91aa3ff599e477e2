// Time and ids, the two things a store takes from outside. Tests inject a clock (token expiry, dated
// records); ids are random UUIDs so records made by different processes (PostgreSQL) never collide.
import { randomUUID } from 'node:crypto';

export interface StoreOptions {
  /** Clock for timestamps (tests). */
  now?: () => Date;
}

export type Clock = () => Date;

export function clockOf(options: StoreOptions = {}): Clock {
  return options.now ?? (() => new Date());
}

export function newId(): string {
  return randomUUID();
}
