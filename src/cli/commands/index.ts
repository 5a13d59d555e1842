import type { CliCommand } from '../command';
import { incidentCommands } from './incident';
import { knownHostsCommands } from './known-hosts';
import { profilesCommands } from './profiles';
import { redisClassifyCommand } from './redis-classify';
import { runbookInspectCommand, runbookLintCommand } from './runbook';
import { sqlClassifyCommand } from './sql-classify';
import { versionCommand } from './version';

/** Every CLI command; a new one is a module in this folder plus one entry here. */
export const commands: CliCommand[] = [versionCommand, ...incidentCommands, sqlClassifyCommand, redisClassifyCommand, ...profilesCommands, ...knownHostsCommands, runbookInspectCommand, runbookLintCommand];
