import type { RunbookStatement } from '../../shared/runbook';
import { classifyRedis } from '../redis/classify';

/**
 * Risk of a Redis command read from a runbook, before any connection: the Redis classifier with
 * its built-in Redis 7 table. At run time the Redis service classifies again from the server.
 */
export function redisRisk(argv: string[]): Pick<RunbookStatement, 'risk' | 'reasons'> {
  if (argv.length === 0 || !argv[0]) return { risk: 'unknown', reasons: ['unknown_command'] };
  const { risk, reasons } = classifyRedis(argv);
  return { risk, reasons: [...reasons] };
}
