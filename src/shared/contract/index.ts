import type { z } from 'zod';
import type { EventSpec, OperationSpec } from './define';
import { appOperations } from './app';
import { assistantsOperations } from './assistants';
import { classificationOperations } from './classification';
import { healthOperations } from './health';
import { incidentsEvents, incidentsOperations } from './incidents';
import { knownHostsOperations } from './known-hosts';
import { profilesEvents, profilesOperations } from './profiles';
import { redisEvents, redisOperations } from './redis';
import { runbooksEvents, runbooksOperations } from './runbooks';
import { sandboxOperations } from './sandbox';
import { runbookSourcesOperations } from './runbook-sources';
import { sessionsEvents, sessionsOperations } from './sessions';
import { settingsOperations } from './settings';
import { sqlEvents, sqlOperations } from './sql';
import { sqlResultEvents, sqlResultOperations } from './sql-results';
import { sqlWorkbenchOperations } from './sql-workbench';
import { templatesOperations } from './templates';
import { terminalsEvents, terminalsOperations } from './terminals';
import { tunnelsOperations } from './tunnels';

export * from './app';
export * from './assistants';
export * from './classification';
export * from './health';
export * from './incidents';
export * from './known-hosts';
export * from './profiles';
export * from './redis';
export * from './runbooks';
export * from './sandbox';
export * from './runbook-sources';
export * from './sessions';
export * from './settings';
export * from './sql';
export * from './sql-results';
export * from './sql-workbench';
export * from './templates';
export * from './terminals';
export * from './tunnels';

/** Every operation the core offers, named `domain.verb`. Add a domain by spreading it here. */
export const operations = {
  ...appOperations,
  ...assistantsOperations,
  ...classificationOperations,
  ...healthOperations,
  ...incidentsOperations,
  ...knownHostsOperations,
  ...profilesOperations,
  ...redisOperations,
  ...runbooksOperations,
  ...sandboxOperations,
  ...runbookSourcesOperations,
  ...sessionsOperations,
  ...settingsOperations,
  ...sqlOperations,
  ...sqlResultOperations,
  ...sqlWorkbenchOperations,
  ...templatesOperations,
  ...terminalsOperations,
  ...tunnelsOperations,
} as const;

/** Every event the core pushes, named `onSomething`. */
export const events = {
  ...profilesEvents,
  ...runbooksEvents,
  ...incidentsEvents,
  ...sessionsEvents,
  ...redisEvents,
  ...sqlEvents,
  ...sqlResultEvents,
  ...terminalsEvents,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<K extends OperationName> = z.input<Operations[K]['input']>;
export type ParsedInputOf<K extends OperationName> = z.output<Operations[K]['input']>;
export type OutputOf<K extends OperationName> =
  Operations[K] extends OperationSpec<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

export const operationNames = Object.keys(operations) as OperationName[];
export const eventNames = Object.keys(events) as EventName[];

/** The core as every transport sees it: one async handler per operation. */
export type Handlers = { [K in OperationName]: (input: ParsedInputOf<K>) => Promise<OutputOf<K>> };

/** The renderer-side API shape exposed by the preload and by the WebSocket transport. */
export type EventSink = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;
