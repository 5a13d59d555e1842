import type { RedisSample } from '../../../../shared/contract';
import { useApp } from '../../store';
import { browserPaneOf } from '../../store/redis-browser-slice';
import { InfoTables } from './ReplyViews';
import { BytesView } from './ValueView';

function Note({ text }: { text?: string }) {
  return text ? (
    <p className="hint" role="status" data-testid="redis-view-note">
      {text}
    </p>
  ) : null;
}

function SampleView({ sample }: { sample: RedisSample }) {
  return (
    <div className="sample-view" data-testid="redis-sample">
      <p className="result-meta">
        {sample.complete ? `All ${sample.scanned} keys` : `${sample.scanned} keys sampled (the time budget ran out)`} in{' '}
        {sample.durationMs} ms, by SCAN with TYPE, PTTL and MEMORY USAGE in one pipeline per batch.
      </p>
      {sample.notes.map((note) => (
        <Note key={note} text={note} />
      ))}
      <table className="kv-table" data-testid="redis-big-keys">
        <caption>Biggest keys</caption>
        <thead>
          <tr>
            <th>key</th>
            <th>type</th>
            <th>bytes</th>
          </tr>
        </thead>
        <tbody>
          {sample.biggest.map((b) => (
            <tr key={b.key.b64}>
              <td>
                <BytesView bytes={b.key} />
              </td>
              <td>{b.type}</td>
              <td>{b.memoryBytes ?? 'n/a'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="kv-table" data-testid="redis-ttl-distribution">
        <caption>TTL distribution</caption>
        <tbody>
          {sample.ttl.map((b) => (
            <tr key={b.bucket}>
              <th scope="row">{b.bucket}</th>
              <td>{b.keys}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="kv-table">
        <caption>Types</caption>
        <tbody>
          {sample.types.map((t) => (
            <tr key={t.type}>
              <th scope="row">{t.type}</th>
              <td>{t.keys}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** INFO, SLOWLOG and the sampled keyspace of the profile's Redis. */
export function ServerView({ profileId }: { profileId: string }) {
  const pane = useApp((s) => browserPaneOf(s, profileId));
  if (pane.view === 'info')
    return pane.info ? (
      <>
        <Note text={pane.info.note} />
        <InfoTables sections={pane.info.sections} />
      </>
    ) : (
      <p className="hint">Loading…</p>
    );
  if (pane.view === 'slowlog') {
    if (!pane.slowlog) return <p className="hint">Loading…</p>;
    return (
      <>
        <Note text={pane.slowlog.note} />
        {!pane.slowlog.note && pane.slowlog.rows.length === 0 && <p className="hint">The slowlog is empty.</p>}
        {pane.slowlog.rows.length > 0 && (
          <table className="kv-table" data-testid="redis-slowlog">
            <thead>
              <tr>
                {pane.slowlog.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {pane.slowlog.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  }
  if (pane.view === 'sample')
    return pane.sample ? <SampleView sample={pane.sample} /> : <p className="hint">Sampling the keyspace…</p>;
  return null;
}
