import { useState } from 'react';
import type { RedisEdit, RedisValueItem, RedisValuePage } from '../../../../shared/contract';
import { bytesOfB64, hexOfBytes, quoteRedisBytes, type RedisBytes } from '../../../../shared/redis-bytes';
import { CopyButton } from './ReplyViews';

/** Bytes as shown: text, or escaped and marked binary; the copy is exact. */
export function BytesView({ bytes, testId }: { bytes: RedisBytes; testId?: string }) {
  return (
    <span className={bytes.binary ? 'bytes binary' : 'bytes'} data-testid={testId}>
      {bytes.binary && (
        <span className="binary-mark" data-testid="binary-mark">
          binary
        </span>
      )}
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

/** UTF-8 text as base64 (what an edit sends: the exact bytes). */
function b64OfText(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A text value edited in place; saving is a SET … KEEPTTL through the gate. */
function StringEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  return (
    <form className="string-editor" onSubmit={(e) => (e.preventDefault(), onSave(text))}>
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={8}
        spellCheck={false}
        aria-label="New value"
        data-testid="browser-string-edit"
      />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="browser-string-save">
          Save (SET … KEEPTTL)
        </button>
      </div>
    </form>
  );
}

/** A string value: JSON pretty-printed when it is JSON, hex on request (and offered for binary). */
function StringView({ value, onEdit }: { value: RedisBytes; onEdit: (edit: RedisEdit) => void }) {
  const json = value.binary || value.truncated ? undefined : prettyJson(value.text);
  const [mode, setMode] = useState<'text' | 'hex' | 'edit'>(value.binary ? 'hex' : 'text');
  if (mode === 'edit')
    return (
      <StringEditor
        initial={value.text}
        onCancel={() => setMode('text')}
        onSave={(text) => (setMode('text'), onEdit({ op: 'set', value: b64OfText(text) }))}
      />
    );
  const bytes = bytesOfB64(value.b64);
  return (
    <div className="string-view" data-testid="redis-string-view">
      <p className="result-meta">
        {json ? 'JSON' : value.binary ? 'binary' : 'text'} · {value.size} bytes{' '}
        <button type="button" onClick={() => setMode(mode === 'hex' ? 'text' : 'hex')} data-testid="redis-hex-toggle">
          {mode === 'hex' ? 'Show as text' : 'Show as hex'}
        </button>{' '}
        {!value.truncated && (
          <CopyButton text={quoteRedisBytes(bytes)} label="Copy as argument" testId="redis-copy-value" />
        )}{' '}
        {!value.truncated && !value.binary && (
          <button type="button" onClick={() => setMode('edit')} data-testid="browser-string-edit-open">
            Edit
          </button>
        )}
      </p>
      {mode === 'hex' ? (
        <pre className="hex-view" data-testid="redis-hex">
          {hexOfBytes(bytes).replace(/(.{32})/g, '$1\n')}
        </pre>
      ) : (
        <pre className="value-text" data-testid="redis-string-text">
          {json ?? <BytesView bytes={value} />}
        </pre>
      )}
    </div>
  );
}

const columnsByType: Record<string, string[]> = {
  hash: ['field', 'value'],
  list: ['index', 'element'],
  set: ['member'],
  zset: ['member', 'score'],
  stream: ['id', 'fields'],
};

function cells(type: string, item: RedisValueItem): React.ReactNode[] {
  if (type === 'set') return [<BytesView bytes={item.value} />];
  if (type === 'zset') return [<BytesView bytes={item.value} />, item.score];
  if (type === 'stream')
    return [
      item.field?.text,
      (item.pairs ?? []).map(([f, v], i) => (
        <div key={i}>
          <BytesView bytes={f} />: <BytesView bytes={v} />
        </div>
      )),
    ];
  return [item.field && <BytesView bytes={item.field} />, <BytesView bytes={item.value} />];
}

/** A page (or pages) of a value by type; "Load more" fetches the next one, never the whole value. */
export function ValueView({
  value,
  loading,
  onMore,
  onEdit,
}: {
  value: RedisValuePage;
  loading: boolean;
  onMore: () => void;
  onEdit: (edit: RedisEdit) => void;
}) {
  if (value.string) return <StringView value={value.string} onEdit={onEdit} />;
  const columns = columnsByType[value.type];
  if (!columns) return <p className="hint">No viewer for the type {value.type}.</p>;
  return (
    <div className="value-page">
      <p className="result-meta" data-testid="redis-value-count">
        {value.items.length} shown{value.length !== null ? ` of ${value.length}` : ''}
      </p>
      <table className="kv-table" data-testid="redis-value-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            {value.type === 'hash' && <th>change</th>}
          </tr>
        </thead>
        <tbody>
          {value.items.map((item, i) => (
            <tr key={i} data-testid="redis-value-row">
              {cells(value.type, item).map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
              {value.type === 'hash' && item.field && (
                <td>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => onEdit({ op: 'hdel', field: item.field!.b64 })}
                    aria-label={`Delete field ${item.field.text}`}
                    data-testid="browser-hdel"
                  >
                    Delete
                  </button>
                </td>
              )}
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
