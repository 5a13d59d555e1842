import type { RedisClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import { classifyRedis } from './classify';
import { parseRedisCommandLine } from './command-line';
import type { CommandTable } from './command-table';
import type { RedisRedactor } from './redis-runner';

/** The live server's command table for a profile, when its Redis is connected. */
export type LiveCommandTables = (profileId: string) => Promise<CommandTable | undefined>;

/**
 * The `redis.classify` service: parses a command line if given one, and picks the table. The argv
 * it answers with goes to the renderer, the CLI and MCP: its secrets (AUTH pw …) are masked.
 */
export class RedisClassifier {
  constructor(
    private readonly redactor: Pick<RedisRedactor, 'redisArgv'>,
    private readonly liveTables?: LiveCommandTables,
  ) {}

  async classify(input: { argv?: string[]; line?: string; profileId?: string }): Promise<RedisClassification> {
    const argv = input.argv ?? parseRedisCommandLine(input.line ?? '');
    if (argv.length === 0) throw new OpsError('invalid_input', 'line has no command: type one, e.g. GET key.');
    const live = input.profileId && this.liveTables ? await this.liveTables(input.profileId) : undefined;
    const result = classifyRedis(argv, live);
    return { ...result, argv: this.redactor.redisArgv(result.argv) };
  }
}
