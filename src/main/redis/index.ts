import type { EventListener } from '../lifecycle/events';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';
import { RedisClassifier } from './redis-classifier';
import { RedisConnections } from './redis-connections';
import { RedisRunner, type RedisRunnerDeps } from './redis-runner';
import { RedisService } from './redis-service';
import { RedisWatches, type RedisWatchDeps } from './redis-watches';

interface RedisDeps {
  profiles: ProfileRepository;
  sessions: SessionManager;
  redactor: RedisRunnerDeps['redactor'] & RedisWatchDeps['redactor'];
  record: RedisRunnerDeps['record'] & RedisWatchDeps['record'];
  emit: EventListener;
  now: () => Date;
}

export interface RedisDomain {
  connections: RedisConnections;
  service: RedisService;
  /** Risk from the server's own COMMAND flags when connected, the built-in table otherwise. */
  classifier: RedisClassifier;
  runner: RedisRunner;
  watches: RedisWatches;
  /** Stops the watches, then closes every client. */
  dispose(): Promise<void>;
}

/** Redis over SSH: the shared clients, the command gate and runner, and watched commands. */
export function createRedis(deps: RedisDeps): RedisDomain {
  const { profiles, redactor, record } = deps;
  const connections = new RedisConnections(profiles, deps.sessions);
  const service = new RedisService(connections);
  const classifier = new RedisClassifier(redactor, (profileId) => service.liveCommandTable(profileId));
  const runner = new RedisRunner({ profiles, connections, redactor, record });
  const watches = new RedisWatches({
    profiles,
    connections,
    redactor,
    record,
    now: deps.now,
    emit: (event) => deps.emit('onRedisWatch', event),
  });
  return {
    connections,
    service,
    classifier,
    runner,
    watches,
    async dispose() {
      watches.dispose();
      await connections.dispose();
    },
  };
}
