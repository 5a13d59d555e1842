import { useApp } from '../../store';
import { watchSeconds } from '../../store/redis-watch-slice';

/** The offer shown when the shared client refused SUBSCRIBE/MONITOR: run it on a connection of its own. */
export function RedisWatchOffer({ profileId, argv }: { profileId: string; argv: string[] }) {
  const { redisWatchRequested } = useApp.getState();
  return (
    <button
      type="button"
      className="primary"
      onClick={() => void redisWatchRequested(profileId, argv)}
      data-testid="redis-watch-start"
    >
      Watch {argv[0]?.toUpperCase()} on its own connection for {watchSeconds} s
    </button>
  );
}

/** A running or ended watch: its messages, the time limit, the Stop button; MONITOR's confirmation first. */
export function RedisWatchPanel({ profileId }: { profileId: string }) {
  const pane = useApp((s) => s.redisWatchPanes[profileId]);
  const { redisWatchRequested, redisWatchNameTyped, redisWatchStopped, redisWatchClosed } = useApp.getState();
  if (!pane) return null;
  const pending = pane.pending;
  return (
    <section className="redis-watch" aria-label={`Watch ${pane.argv.join(' ')}`} data-testid="redis-watch">
      {pending && (
        <form
          className="redis-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void redisWatchRequested(profileId, pane.argv, {
              typedName: pending.confirmation?.policy === 'type-profile-name' ? pane.typedName : undefined,
            });
          }}
        >
          <p
            className={pending.outcome === 'refused' ? 'form-error' : undefined}
            role={pending.outcome === 'refused' ? 'alert' : undefined}
          >
            {pending.message}
          </p>
          {pending.confirmation?.policy === 'type-profile-name' && (
            <label>
              <span>
                Type <strong>{pending.confirmation.profileName}</strong> to watch
              </span>
              <input
                value={pane.typedName}
                onChange={(e) => redisWatchNameTyped(profileId, e.target.value)}
                autoComplete="off"
                data-testid="redis-watch-confirm-name"
              />
            </label>
          )}
          <div className="actions">
            <button type="button" onClick={() => redisWatchClosed(profileId)}>
              Don't watch
            </button>
            <button type="submit" className="danger-solid" data-testid="redis-watch-confirm">
              Watch {pane.argv[0]?.toUpperCase()}
            </button>
          </div>
        </form>
      )}
      {!pending && (
        <p className="result-meta" data-testid="redis-watch-status" role="status">
          {pane.watchId
            ? `Watching ${pane.argv.join(' ')} on a dedicated connection until ${pane.expiresAt?.slice(11, 19)} UTC · ${pane.count} messages`
            : `Ended: ${pane.ended} · ${pane.count} messages`}
        </p>
      )}
      {pane.watchId ? (
        <button
          type="button"
          className="danger"
          onClick={() => void redisWatchStopped(profileId)}
          data-testid="redis-watch-stop"
        >
          Stop
        </button>
      ) : (
        !pending && (
          <button type="button" onClick={() => redisWatchClosed(profileId)} data-testid="redis-watch-close">
            Close
          </button>
        )
      )}
      <ol className="redis-watch-messages" data-testid="redis-watch-messages">
        {pane.messages.map((message, i) => (
          <li key={i}>
            <span className="result-meta">{message.at.slice(11, 23)}</span>{' '}
            {message.channel && (
              <code>
                {message.pattern ? `${message.pattern} → ` : ''}
                {message.channel}
              </code>
            )}{' '}
            {message.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
