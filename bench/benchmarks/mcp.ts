import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startPostgres, startSshd } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { tempCore } from '../../test/support/temp-core';
import { median, result, round, type BenchContext, type BenchResult, type Benchmark } from '../types';

// The MCP server as an assistant meets it: process start to the initialize reply (anchor: a bare
// `node -e 0`), and sql_read of 100 rows through one SSH hop against the core's own sql.run.

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = `${root}node_modules/.bin/node`;
const query = 'SELECT g AS id, md5(g::text) AS hash, now() AS at FROM generate_series(1, 100) g';
const calls = 50;

function transport(dataDir: string): StdioClientTransport {
  return new StdioClientTransport({
    command: node,
    args: [`${root}bin/opsconsole.mjs`, 'mcp', '--calls-per-minute', '100000', '--rows-per-minute', '100000000'],
    cwd: root,
    env: { ...(process.env as Record<string, string>), OPSCONSOLE_HOME: dataDir, OPSCONSOLE_VAULT: 'file' },
    stderr: 'ignore',
  });
}

async function mcpRun(context: BenchContext): Promise<BenchResult[]> {
  const [pgServer, sshd] = await Promise.all([startPostgres(), startSshd()]);
  const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
  try {
    const profile = await temp.core.invoke('profiles.save', {
      profile: { ...harnessProfile('bench-mcp', { sshd, pg: pgServer }), allowAssistants: true },
    });
    // Trusts the bastion's key (first use) so the server's own process connects without a prompt.
    await temp.core.invoke('sql.run', { profileId: profile.id, sql: 'SELECT 1' });
    const starts: number[] = [];
    const anchors: number[] = [];
    for (let run = 0; run < Math.max(5, context.runs); run++) {
      let started = performance.now();
      spawnSync(node, ['-e', '0']);
      anchors.push(performance.now() - started);
      const client = new Client({ name: 'bench', version: '1' });
      started = performance.now();
      await client.connect(transport(temp.dataDir));
      starts.push(performance.now() - started);
      await client.close();
    }
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport(temp.dataDir));
    const viaMcp: number[] = [];
    const inProcess: number[] = [];
    for (let i = 0; i < 5; i++)
      await client.callTool({ name: 'sql_read', arguments: { profile: 'bench-mcp', sql: query } });
    for (let i = 0; i < calls; i++) {
      let started = performance.now();
      const reply = await client.callTool({ name: 'sql_read', arguments: { profile: 'bench-mcp', sql: query } });
      viaMcp.push(performance.now() - started);
      if (reply.isError) throw new Error(`sql_read failed: ${JSON.stringify(reply.content)}`);
      started = performance.now();
      await temp.core.invoke('sql.run', { profileId: profile.id, sql: query });
      inProcess.push(performance.now() - started);
    }
    await client.close();
    context.log(
      `mcp: start ${Math.round(median(starts))} ms, sql_read ${round(median(viaMcp), 2)} ms, in-process sql.run ${round(median(inProcess), 2)} ms`,
    );
    const readMs = round(median(viaMcp), 2);
    return [
      result({
        id: 'mcp.start_ms',
        unit: 'ms',
        value: round(median(starts), 1),
        anchor: { name: 'node -e 0', value: round(median(anchors), 1) },
        ratio: round(median(starts) / median(anchors), 2),
        goal: { of: 'value', op: '<', limit: 500 },
      }),
      result({
        id: 'mcp.sql_read_ms',
        unit: 'ms',
        value: readMs,
        anchor: null,
        goal: { of: 'value', op: '<', limit: 100 },
        note: `tools/call sql_read, 100 rows, 1 SSH hop, warm, median of ${calls}`,
      }),
      result({
        id: 'mcp.sql_read_overhead',
        unit: 'ms',
        value: readMs,
        anchor: { name: "the core's sql.run in-process, warm connection", value: round(median(inProcess), 2) },
        goal: { of: 'ratio', op: '<=', limit: 1.5 },
      }),
    ];
  } finally {
    await temp.dispose();
    await Promise.all([pgServer.stop(), sshd.dispose()]);
  }
}

export const mcpBenchmarks: Benchmark[] = [
  {
    id: 'mcp',
    description:
      'The MCP server: start to initialize, and sql_read (100 rows, 1 SSH hop) against the in-process sql.run',
    run: mcpRun,
  },
];
