import { OpsError } from '../../main/errors';
import { maskRedisArgv } from '../../main/redaction/redis-secrets';
import { classifyRedis } from '../../main/redis/classify';
import { parseRedisCommandLine } from '../../main/redis/command-line';
import { defineCommand } from '../command';
import { formatRedisClassification } from './classify-format';

export const redisClassifyCommand = defineCommand({
  path: ['redis', 'classify'],
  summary: 'Classify a Redis command with the built-in Redis 7 table (read … dangerous)',
  usage: '[--line "CMD ARG…"] -- CMD ARG… [--json]',
  options: {
    line: { type: 'string', value: '"CMD ARG…"', description: 'the command as one line, split as redis-cli does' },
  },
  light: {},
  allowPositionals: true,
  trailingJson: true,
  async run({ positionals, values, json }) {
    // `--json` may follow the command (`-- GET k --json`): it is the CLI's flag, not an argument.
    const argv = json && positionals[positionals.length - 1] === '--json' ? positionals.slice(0, -1) : positionals;
    const line = values.line;
    if (line !== undefined && argv.length)
      throw new OpsError('invalid_input', 'Give the command either after -- or with --line, not both.');
    const args = line !== undefined ? parseRedisCommandLine(line) : argv;
    if (!args.length || !args[0])
      throw new OpsError(
        'invalid_input',
        'The command is missing: write it after --, e.g. opsconsole redis classify -- GET key.',
      );
    // A password it carries (AUTH, CONFIG SET requirepass, a URL…) is never printed back.
    const classified = classifyRedis(args);
    const result = { ...classified, argv: maskRedisArgv(classified.argv).value };
    return {
      value: { risk: result.risk, reasons: result.reasons, argv: result.argv },
      text: formatRedisClassification(result),
    };
  },
});
