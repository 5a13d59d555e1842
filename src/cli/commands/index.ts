import type { CliCommand } from '../command';
import { healthCommand } from './health';
import { incidentCommands } from './incident';
import { incidentCurationCommands } from './incident-curation';
import { knownHostsCommands } from './known-hosts';
import { mcpCommand } from './mcp';
import { incidentProposalsCommand } from './incident-proposals';
import { profilesCommands } from './profiles';
import { redisClassifyCommand } from './redis-classify';
import { redisRunCommand } from './redis-run';
import { redisScanCommand } from './redis-scan';
import { redisWatchCommand } from './redis-watch';
import { runbookInspectCommand, runbookLintCommand } from './runbook';
import { runbookSourceCommands } from './runbook-source';
import { runbookRunCommand } from './runbook-run';
import { sqlClassifyCommand } from './sql-classify';
import { sqlRunCommand } from './sql-run';
import { sqlHistoryCommand } from './sql-history';
import { templatesCommands } from './templates';
import { sqlExportCommand } from './sql-export';
import { versionCommand } from './version';
import { teamCommands } from './team';
import { rehearseCommand } from './rehearse';
import { demoCommand, sandboxDropCommand, sandboxListCommand } from './sandbox';

/** Every CLI command; a new one is a module in this folder plus one entry here. */
export const commands: CliCommand[] = [
  versionCommand,
  sqlClassifyCommand,
  sqlRunCommand,
  sqlExportCommand,
  ...templatesCommands,
  redisClassifyCommand,
  redisRunCommand,
  redisWatchCommand,
  ...incidentCommands,
  incidentProposalsCommand,
  ...profilesCommands,
  ...knownHostsCommands,
  healthCommand,
  runbookInspectCommand,
  runbookLintCommand,
  rehearseCommand,
  sandboxListCommand,
  sandboxDropCommand,
  demoCommand,
  ...runbookSourceCommands,
  mcpCommand,
  ...teamCommands,
  redisScanCommand,
  runbookRunCommand,
  ...incidentCurationCommands,
  sqlHistoryCommand,
];
