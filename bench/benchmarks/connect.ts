import { startPostgres, startSshd } from '../../test/harness/index';
import { tempCore } from '../../test/support/temp-core';
import { median, result, type Benchmark } from '../types';

/** Time from Connect to the first Postgres answer, through the harness's sshd (one hop). */
export const connectBenchmarks: Benchmark[] = [
  {
    id: 'connect.postgres_ready_1hop',
    description: 'Connect to Postgres ready (SSH handshake, host key known, key auth, forwardOut, pg startup, SELECT 1) through one sshd hop',
    async run({ runs }) {
      const [pg, sshd] = await Promise.all([startPostgres(), startSshd()]);
      const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
      try {
        const profile = await temp.core.invoke('profiles.save', {
          profile: {
            name: 'bench',
            environment: 'staging',
            ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'key', keyPath: sshd.clientKeyPath },
            postgres: { host: '127.0.0.1', port: pg.port, database: pg.database, user: pg.user },
            secrets: { pgPassword: { set: pg.password } },
          },
        });
        // The first connect trusts the host key (a prompt the operator answers); time the ones after.
        await temp.core.invoke('sql.runReadOnly', { profileId: profile.id, sql: 'SELECT 1' });
        const samples: number[] = [];
        for (let i = 0; i < Math.max(runs, 5); i++) {
          await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
          const started = performance.now();
          await temp.core.invoke('sql.runReadOnly', { profileId: profile.id, sql: 'SELECT 1' });
          samples.push((performance.now() - started) / 1000);
        }
        return [result({ id: 'connect.postgres_ready_1hop', unit: 's', value: median(samples), anchor: null, goal: { of: 'value', op: '<', limit: 0.5 } })];
      } finally {
        await temp.dispose();
        await Promise.all([pg.stop(), sshd.dispose()]);
      }
    },
  },
];
