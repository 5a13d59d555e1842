import type { RedisWatchEvent, RedisWatchMessage, RedisWatchStart } from '../../../../shared/contract';

/** One profile's watch: SUBSCRIBE/MONITOR on a dedicated connection, with its time limit. */
export interface RedisWatchPane {
  argv: string[];
  /** Set while it runs. */
  watchId?: string;
  expiresAt?: string;
  messages: RedisWatchMessage[];
  count: number;
  /** Why it ended (time limit, stopped, connection lost), once it has. */
  ended?: string;
  /** MONITOR waits for its confirmation (the profile's name typed on production). */
  pending?: RedisWatchStart;
  typedName: string;
}

export interface RedisWatchSlice {
  redisWatchPanes: Record<string, RedisWatchPane>;
  /** The Watch button: starts the command on a dedicated connection (or asks to confirm MONITOR). */
  redisWatchRequested(profileId: string, argv: string[], confirm?: { typedName?: string }): Promise<void>;
  redisWatchNameTyped(profileId: string, typedName: string): void;
  redisWatchStopped(profileId: string): Promise<void>;
  redisWatchClosed(profileId: string): void;
  /** onRedisWatch: a batch of messages, or the end. */
  redisWatchEventReceived(event: RedisWatchEvent): void;
}
