import { byRiskDescending, riskOfReason, worstRisk, type Reason, type RedisClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import { isUnboundedBlock } from './blocking-timeout';
import { builtinCommandTable } from './builtin-command-table';
import { lookupCommand, type CommandMeta, type CommandTable } from './command-table';
import { dangerousCommands, publishCommands } from './dangerous-commands';
import { reviewedCategories, reviewedCommands } from './reviewed-commands';

/**
 * Classifies one Redis command given as an argument array (see src/shared/risk.ts for the levels
 * and reason codes). The command's metadata comes from `table`: the live server's
 * (`fetchCommandTable`) or, by default, the built-in Redis 7 table. What the categories cannot
 * tell (CONFIG GET from CONFIG SET, EVAL_RO, SELECT) comes from the reviewed table
 * (reviewed-commands.ts); a fixed list of destructive or server-blocking commands is always
 * `dangerous`.
 */
export function classifyRedis(
  argv: readonly string[],
  table: CommandTable = builtinCommandTable(),
): RedisClassification {
  if (argv.length === 0 || !argv[0])
    throw new OpsError('invalid_input', 'argv is empty: give a Redis command, e.g. ["GET", "key"].');
  const found = lookupCommand(table, argv);
  const source = { argv: [...argv], source: table.source, ...(table.notice ? { notice: table.notice } : {}) };
  if (!found) return { risk: 'unknown', reasons: [`unknown_command:${argv[0].toUpperCase()}`], ...source };
  if ('unknownSubcommand' in found)
    return { risk: 'unknown', reasons: [`unknown_subcommand:${display(found.unknownSubcommand)}`], ...source };
  const reasons = reasonsOf(found, argv, isModuleCommand(table, argv, found));
  return { risk: worstRisk(reasons.map(riskOfReason)), reasons: byRiskDescending(reasons), ...source };
}

function reasonsOf(meta: CommandMeta, argv: readonly string[], module: boolean): Reason[] {
  const reasons: Reason[] = [];
  const name = meta.name;
  const kind = reviewedCommands.get(name);
  if (kind === 'connection') reasons.push(`connection_state:${display(name)}`);
  else if (kind === 'script') reasons.push('script');
  else if (kind === 'changes' || isAclLogReset(name, argv)) reasons.push(`server_change:${display(name)}`);
  else if (!kind && module) reasons.push(`module_command:${display(name)}`);
  else if (!kind && meta.categories.some((category) => reviewedCategories.includes(category)))
    reasons.push(`unreviewed_command:${display(name)}`);
  if (name === 'keys') reasons.push('keys_use_scan');
  else if (scanCount(name, argv) > maxScanCount) reasons.push(`scan_count_too_large:${display(name)}`);
  else if (dangerousCommands.has(name) || dangerousCommands.has(name.split('|')[0]!))
    reasons.push(`dangerous_command:${display(name)}`);
  if (isUnboundedBlock(argv)) reasons.push(`unbounded_block:${display(name)}`);
  if (publishCommands.has(name)) reasons.push('publish');
  if (meta.flags.includes('write')) reasons.push('write_command');
  if (meta.flags.includes('admin') || meta.categories.includes('admin')) reasons.push('admin_command');
  if (meta.flags.includes('blocking') || meta.categories.includes('blocking')) reasons.push('blocking');
  return reasons;
}

/**
 * A module's command (the server flags it `module`, on the command or its container): its flags are
 * the module author's word, not reviewed (FT.CONFIG SET and RG.PYEXECUTE carry no write flag), so
 * it is unknown unless the reviewed table names it.
 */
function isModuleCommand(table: CommandTable, argv: readonly string[], meta: CommandMeta): boolean {
  const container = table.commands.get(argv[0]!.toLowerCase());
  return meta.flags.includes('module') || Boolean(container?.flags.includes('module'));
}

/** A COUNT above this makes one SCAN call walk as much as KEYS would: it is gated like KEYS. */
export const maxScanCount = 10_000;

/** The COUNT a SCAN-family command asks for (the last one given, as the server reads it); 0 when none. */
function scanCount(name: string, argv: readonly string[]): number {
  const first = name === 'scan' ? 2 : ['hscan', 'sscan', 'zscan'].includes(name) ? 3 : argv.length;
  let count = 0;
  for (let i = first; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    if (option === 'count') count = Number(argv[++i]);
    else if (option === 'match' || option === 'type') i++;
  }
  return Number.isNaN(count) ? 0 : count;
}

/** ACL LOG reads the log; ACL LOG RESET empties it (one subcommand, an argument decides). */
function isAclLogReset(name: string, argv: readonly string[]): boolean {
  return name === 'acl|log' && argv[2]?.toLowerCase() === 'reset';
}

function display(name: string): string {
  return name.replace('|', ' ').toUpperCase();
}
