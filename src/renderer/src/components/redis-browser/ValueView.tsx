import { useState } from 'react';
import type { RedisValueItem, RedisValuePage } from '../../../../shared/contract';
import { bytesOfB64, hexOfBytes, quoteRedisBytes, type RedisBytes } from '../../../../shared/redis-bytes';
import { CopyButton } from './ReplyViews';

/** Bytes as shown: text, or escaped and marked binary; the copy is exact. */
export function BytesView({ bytes, testId }: { bytes: RedisBytes; testId?: string }) {
  return (
    <span className={bytes.binary ? 'bytes binary' : 'bytes'} data-testid={testId}>
      {bytes.binary && <span className="binary-mark" data-testid="binary-mark">binary</span>}
      {bytes.text}
      {bytes.truncated && <span className="hint"> … ({bytes.size} bytes in all)</span>}
    </span>
  );
}

function prettyJson(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

/** A string value: JSON pretty-printed when it is JSON, hex on request (and offered for binary). */
function StringView({ value }: { value: RedisBytes }) {
  const json = value.binary || value.truncated ? undefined : prettyJson(value.text);
  const [mode, setMode] = useState<'text' | 'hex'>(value.binary ? 'hex' : 'text');
  const bytes = bytesOfB64(value.b64);
  return (
    <div className="string-view" data-testid="redis-string-view">
      <p className="result-meta">
        {json ? 'JSON' : value.binary ? 'binary' : 'text'} · {value.size} bytes{' '}
        <button type="button" onClick={() => setMode(mode === 'hex' ? 'text' : 'hex')} data-testid="redis-hex-toggle">
          {mode === 'hex' ? 'Show as text' : 'Show as hex'}
        </button>{' '}
        {!value.truncated && <CopyButton text={quoteRedisBytes(bytes)} label="Copy as argument" testId="redis-copy-value" />}
      </p>
      {mode === 'hex' ? (
        <pre className="hex-view" data-testid="redis-hex">{hexOfBytes(bytes).replace(/(.{32})/g, '$1\n')}</pre>
      ) : (
        <pre className="value-text" data-testid="redis-string-text">
          {json ?? <BytesView bytes={value} />}
        </pre>
      )}
    </div>
  );
}

const columnsByType: Record<string, string[]> = { hash: ['field', 'value'], list: ['index', 'element'], set: ['member'], zset: ['member', 'score'], stream: ['id', 'fields'] };

function cells(type: string, item: RedisValueItem): React.ReactNode[] {
  if (type === 'set') return [<BytesView bytes={item.value} />];
  if (type === 'zset') return [<BytesView bytes={item.value} />, item.score];
  if (type === 'stream') return [item.field?.text, (item.pairs ?? []).map(([f, v], i) => <div key={i}><BytesView bytes={f} />: <BytesView bytes={v} /></div>)];
  return [item.field && <BytesView bytes={item.field} />, <BytesView bytes={item.value} />];
}

/** A page (or pages) of a value by type; "Load more" fetches the next one, never the whole value. */
export function ValueView({ value, loading, onMore }: { value: RedisValuePage; loading: boolean; onMore: () => void }) {
  if (value.string) return <StringView value={value.string} />;
  const columns = columnsByType[value.type];
  if (!columns) return <p className="hint">No viewer for the type {value.type}.</p>;
  return (
    <div className="value-page">
      <p className="result-meta" data-testid="redis-value-count">
        {value.items.length} shown{value.length !== null ? ` of ${value.length}` : ''}
      </p>
      <table className="kv-table" data-testid="redis-value-table">
        <thead>
          <tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {value.items.map((item, i) => (
            <tr key={i} data-testid="redis-value-row">
              {cells(value.type, item).map((cell, j) => <td key={j}>{cell}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {value.next && (
        <button type="button" onClick={onMore} disabled={loading} data-testid="redis-value-more">
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
