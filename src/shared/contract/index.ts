import type { z } from 'zod';
import type { EventSpec, OperationSpec } from './define';
import { appOperations } from './app';
import { appLifecycleOperations } from './app-lifecycle';
import { assistantsOperations } from './assistants';
import { classificationOperations } from './classification';
import { flowOperations } from './flow';
import { healthOperations } from './health';
import { incidentsEvents, incidentsOperations } from './incidents';
import { incidentIntegrityOperations } from './incident-integrity';
import { knownHostsOperations } from './known-hosts';
import { profilesEvents, profilesOperations } from './profiles';
import { profileEditOperations } from './profile-edit';
import { redisEvents, redisOperations } from './redis';
import { redisBrowserOperations } from './redis-browser';
import { runbooksEvents, runbooksOperations } from './runbooks';
import { runbookRunsOperations } from './runbook-runs';
import { schemaDescribeOperations } from './schema-describe';
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
import { teamEvents, teamOperations } from './team';
import { workbenchOperations } from './workbench';

export * from './app';
export * from './app-lifecycle';
export * from './assistants';
export * from './classification';
export * from './flow';
export * from './health';
export * from './incidents';
export * from './incident-integrity';
export * from './known-hosts';
export * from './profiles';
export * from './profile-edit';
export * from './redis';
export * from './redis-browser';
export * from './runbooks';
export * from './runbook-runs';
export * from './schema-describe';
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
export * from './team';
export * from './workbench';

/** Every operation the core offers, named `domain.verb`. Add a domain by spreading it here. */
export const operations = {
  ...appOperations,
  ...appLifecycleOperations,
  ...assistantsOperations,
  ...classificationOperations,
  ...flowOperations,
  ...healthOperations,
  ...incidentsOperations,
  ...incidentIntegrityOperations,
  ...knownHostsOperations,
  ...profilesOperations,
  ...profileEditOperations,
  ...redisOperations,
  ...redisBrowserOperations,
  ...runbooksOperations,
  ...runbookRunsOperations,
  ...schemaDescribeOperations,
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
  ...teamOperations,
  ...workbenchOperations,
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
  ...teamEvents,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<K extends OperationName> = z.input<Operations[K]['input']>;
export type ParsedInputOf<K extends OperationName> = z.output<Operations[K]['input']>;
export type OutputOf<K extends OperationName> = Operations[K] extends OperationSpec<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

export const operationNames = Object.keys(operations) as OperationName[];
export const eventNames = Object.keys(events) as EventName[];

/** The core as every transport sees it: one async handler per operation. */
export type Handlers = { [K in OperationName]: (input: ParsedInputOf<K>) => Promise<OutputOf<K>> };
