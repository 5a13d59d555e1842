import { byRiskDescending, riskOfReason, worstRisk, type Reason, type RedisClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import { builtinCommandTable } from './builtin-command-table';
import { lookupCommand, type CommandTable } from './command-table';
import { dangerousCommands, publishCommands, scriptCommands } from './dangerous-commands';

/**
 * Classifies one Redis command given as an argument array (see src/shared/risk.ts for the levels
 * and reason codes). The command's metadata comes from `table`: the live server's
 * (`fetchCommandTable`) or, by default, the built-in Redis 7 table. On top of the server's flags,
 * a fixed list of destructive or server-blocking commands is always `dangerous`.
 */
export function classifyRedis(argv: readonly string[], table: CommandTable = builtinCommandTable()): RedisClassification {
  if (argv.length === 0 || !argv[0]) throw new OpsError('invalid_input', 'argv is empty: give a Redis command, e.g. ["GET", "key"].');
  const meta = lookupCommand(table, argv);
  if (!meta) return { risk: 'unknown', reasons: [`unknown_command:${argv[0].toUpperCase()}`], argv: [...argv], source: table.source };

  const reasons: Reason[] = [];
  const container = meta.name.split('|')[0]!;
  if (meta.name === 'keys') reasons.push('keys_use_scan');
  else if (dangerousCommands.has(meta.name) || dangerousCommands.has(container)) reasons.push(`dangerous_command:${meta.name.replace('|', ' ').toUpperCase()}`);
  if (scriptCommands.has(meta.name)) reasons.push('script');
  if (publishCommands.has(meta.name)) reasons.push('publish');
  if (meta.flags.includes('write')) reasons.push('write_command');
  if (meta.flags.includes('admin') || meta.categories.includes('admin')) reasons.push('admin_command');
  if (meta.flags.includes('blocking') || meta.categories.includes('blocking')) reasons.push('blocking');
  return { risk: worstRisk(reasons.map(riskOfReason)), reasons: byRiskDescending(reasons), argv: [...argv], source: table.source };
}
