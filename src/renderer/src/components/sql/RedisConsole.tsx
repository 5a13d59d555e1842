import type { RedisReply } from '../../../../shared/contract';
import { useApp } from '../../store';
import { redisPaneOf } from '../../store/sql-panes';
import { isWatchCommand } from '../../../../shared/redis-watch';
import { ReasonList, RiskBadge } from './RiskBadge';
import { RedisWatchOffer, RedisWatchPanel } from './RedisWatchPanel';
import { RedisConfirmForm, RedisConfirmPanel } from '../redis-browser/RedisConfirmForm';
import { InfoTables, ScanReply, specialReply, StringReply } from '../redis-browser/ReplyViews';
import { infoSections } from '../../../../shared/redis-info';

/** A reply by type, the way redis-cli prints it. */
export function RedisReplyView({ reply }: { reply: RedisReply }) {
  switch (reply.type) {
    case 'nil':
      return <span className="reply-nil">(nil)</span>;
    case 'integer':
      return <span className="reply-integer">(integer) {reply.value}</span>;
    case 'string':
      return <StringReply value={reply.value} binary={reply.binary} />;
    case 'error':
      return <span className="reply-error">(error) {reply.message}</span>;
    case 'array':
      if (reply.total === 0) return <span className="reply-nil">(empty array)</span>;
      return (
        <ol className="reply-array">
          {reply.items.map((item, i) => (
            <li key={i}>
              <RedisReplyView reply={item} />
            </li>
          ))}
          {reply.total > reply.items.length && (
            <li className="result-meta">… {reply.total - reply.items.length} more</li>
          )}
        </ol>
      );
  }
}

/** A reply with a view of its own where it has one: INFO as tables, a SCAN page with its next cursor. */
function CommandReply({ profileId, argv, reply }: { profileId: string; argv: string[]; reply: RedisReply }) {
  const special = specialReply(argv, reply);
  if (special === 'info' && reply.type === 'string') return <InfoTables sections={infoSections(reply.value)} />;
  if (special === 'scan')
    return (
      <ScanReply
        argv={argv}
        reply={reply}
        onNext={(next) => void useApp.getState().redisRunRequested(profileId, next)}
        render={(r) => <RedisReplyView reply={r} />}
      />
    );
  return <RedisReplyView reply={reply} />;
}

/** One Redis command at a time, sent as an argv array; write and dangerous ones need confirming. */
export function RedisConsole({ profileId }: { profileId: string }) {
  const pane = useApp((s) => redisPaneOf(s, profileId));
  const { redisLineEdited, redisRunRequested, redisConfirmNameTyped, redisConfirmed, redisDismissed } =
    useApp.getState();
  const pending = pane.pending;
  return (
    <section className="redis-console" aria-label="Redis">
      <form
        className="redis-line"
        onSubmit={(e) => {
          e.preventDefault();
          void redisRunRequested(profileId);
        }}
      >
        <label htmlFor={`redis-line-${profileId}`}>Redis command</label>
        <input
          id={`redis-line-${profileId}`}
          value={pane.line}
          placeholder="GET key"
          spellCheck="false"
          autoComplete="off"
          onChange={(e) => redisLineEdited(profileId, e.target.value)}
          data-testid="redis-line"
        />
        <button type="submit" disabled={pane.running || !pane.line.trim()} data-testid="redis-run">
          Send
        </button>
      </form>
      {pending && (
        <RedisConfirmPanel pending={pending} testId="redis-confirm-panel">
          {pending.suggestion && (
            <button
              type="button"
              className="primary"
              onClick={() => redisRunRequested(profileId, pending.suggestion)}
              data-testid="redis-scan"
            >
              Run {pending.suggestion.join(' ')} instead
            </button>
          )}
          <RedisConfirmForm
            pending={pending}
            typedName={pane.typedName}
            testPrefix="redis"
            onType={(name) => redisConfirmNameTyped(profileId, name)}
            onConfirm={() => void redisConfirmed(profileId)}
            onDismiss={() => redisDismissed(profileId)}
          />
        </RedisConfirmPanel>
      )}
      {pane.error && (
        <p className="form-error" role="alert" data-testid="redis-error">
          {pane.error.message}
        </p>
      )}
      {pane.result && (
        <div className="redis-result" data-testid="redis-result">
          <p className="result-meta">
            <RiskBadge risk={pane.result.risk} /> {pane.result.outcome} · {pane.result.durationMs} ms
          </p>
          {pane.result.message && (
            <p
              className={pane.result.outcome === 'refused' ? 'form-error' : undefined}
              role={pane.result.outcome === 'refused' ? 'alert' : undefined}
              data-testid="redis-message"
            >
              {pane.result.message}
            </p>
          )}
          {pane.result.outcome === 'refused' && <ReasonList reasons={pane.result.reasons} />}
          {pane.result.notice && (
            <p className="hint" data-testid="redis-notice">
              {pane.result.notice}
            </p>
          )}
          {pane.result.outcome === 'refused' && isWatchCommand(pane.result.argv) && (
            <RedisWatchOffer profileId={profileId} argv={pane.result.argv} />
          )}
          {pane.result.reply && (
            <div data-testid="redis-reply">
              <CommandReply profileId={profileId} argv={pane.result.argv} reply={pane.result.reply} />
            </div>
          )}
        </div>
      )}
      <RedisWatchPanel profileId={profileId} />
    </section>
  );
}
