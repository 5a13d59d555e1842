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
        spellCheck="false"
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

/** One inline field (a new value or score) with Save and Cancel. */
function InlineEdit({
  initial,
  label,
  numeric,
  onSave,
  onCancel,
}: {
  initial: string;
  label: string;
  numeric?: boolean;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  return (
    <form className="inline-edit" onSubmit={(e) => (e.preventDefault(), onSave(text))}>
      <input
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label={label}
        inputMode={numeric ? 'decimal' : undefined}
        spellCheck="false"
        data-testid="browser-row-edit-input"
      />
      <button type="submit" className="primary" data-testid="browser-row-edit-save">
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** A score as typed: a finite number, or undefined. */
function scoreOf(text: string): number | undefined {
  const score = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(score) ? score : undefined;
}

/** What can change in one row, by type: each button is one command through the gate (and its confirmation). */
function RowActions({
  type,
  item,
  busy,
  onEdit,
}: {
  type: string;
  item: RedisValueItem;
  /** The value is being read again: what a row shows may be about to move. */
  busy: boolean;
  onEdit: (edit: RedisEdit) => void;
}) {
  const [editing, setEditing] = useState(false);
  const exact = !item.value.truncated;
  const editable = exact && !item.value.binary;
  const name = item.field?.text ?? item.value.text;
  if (editing) {
    const isScore = type === 'zset';
    return (
      <InlineEdit
        initial={isScore ? (item.score ?? '') : item.value.text}
        label={isScore ? `New score of ${name}` : `New value of ${name}`}
        numeric={isScore}
        onCancel={() => setEditing(false)}
        onSave={(text) => {
          if (isScore && scoreOf(text) === undefined) return;
          setEditing(false);
          if (type === 'hash') onEdit({ op: 'hset', field: item.field!.b64, value: b64OfText(text) });
          if (type === 'list') onEdit({ op: 'lset', index: Number(item.field!.text), value: b64OfText(text) });
          if (isScore) onEdit({ op: 'zadd', member: item.value.b64, score: scoreOf(text)! });
        }}
      />
    );
  }
  const remove: RedisEdit | undefined =
    type === 'hash' && item.field
      ? { op: 'hdel', field: item.field.b64 }
      : type === 'set' && exact
        ? { op: 'srem', member: item.value.b64 }
        : type === 'zset' && exact
          ? { op: 'zrem', member: item.value.b64 }
          : type === 'list' && exact
            ? { op: 'lrem', value: item.value.b64 }
            : type === 'stream' && item.field
              ? { op: 'xdel', id: item.field.text }
              : undefined;
  const canEdit = type === 'hash' || type === 'list' ? editable && !!item.field : type === 'zset' && exact;
  return (
    <span className="row-actions">
      {canEdit && (
        <button type="button" onClick={() => setEditing(true)} disabled={busy} data-testid="browser-row-edit">
          {type === 'zset' ? 'Score' : 'Edit'}
        </button>
      )}
      {remove && (
        <button
          type="button"
          className="danger"
          onClick={() => onEdit(remove)}
          disabled={busy}
          aria-label={`${type === 'hash' ? 'Delete field' : 'Remove'} ${name}`}
          title={type === 'list' ? 'Removes the first element equal to this one (LREM … 1)' : undefined}
          data-testid={type === 'hash' ? 'browser-hdel' : 'browser-row-remove'}
        >
          {type === 'hash' || type === 'stream' ? 'Delete' : 'Remove'}
        </button>
      )}
    </span>
  );
}

/** Adds to a collection: a hash field, a set member, a sorted set member with its score, a list element at the tail. */
function AddForm({ type, onEdit }: { type: string; onEdit: (edit: RedisEdit) => void }) {
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const labels: Record<string, [string, string?, string?]> = {
    hash: ['Field', 'Value', 'Set field (HSET)'],
    set: ['Member', undefined, 'Add (SADD)'],
    zset: ['Member', 'Score', 'Add (ZADD)'],
    list: ['Element', undefined, 'Append (RPUSH)'],
  };
  const [firstLabel, secondLabel, action] = labels[type] ?? [];
  if (!firstLabel) return null;
  const submit = () => {
    if (type === 'zset' && scoreOf(second) === undefined) return;
    if (type === 'hash') onEdit({ op: 'hset', field: b64OfText(first), value: b64OfText(second) });
    if (type === 'set') onEdit({ op: 'sadd', member: b64OfText(first) });
    if (type === 'zset') onEdit({ op: 'zadd', member: b64OfText(first), score: scoreOf(second)! });
    if (type === 'list') onEdit({ op: 'rpush', value: b64OfText(first) });
    setFirst('');
    setSecond('');
  };
  return (
    <form className="add-form" onSubmit={(e) => (e.preventDefault(), submit())}>
      <input
        value={first}
        onChange={(e) => setFirst(e.target.value)}
        placeholder={firstLabel}
        aria-label={firstLabel}
        spellCheck="false"
        data-testid="browser-add-first"
      />
      {secondLabel && (
        <input
          value={second}
          onChange={(e) => setSecond(e.target.value)}
          placeholder={secondLabel}
          aria-label={secondLabel}
          inputMode={type === 'zset' ? 'decimal' : undefined}
          spellCheck="false"
          data-testid="browser-add-second"
        />
      )}
      <button
        type="submit"
        disabled={!first || (type === 'zset' && scoreOf(second) === undefined)}
        data-testid="browser-add"
      >
        {action}
      </button>
    </form>
  );
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
            <th>change</th>
          </tr>
        </thead>
        <tbody>
          {value.items.map((item, i) => (
            // Keyed by position and item: a row's open editor never moves onto another field or member.
            <tr key={`${i}:${item.field?.b64 ?? ''}:${item.value.b64}`} data-testid="redis-value-row">
              {cells(value.type, item).map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
              <td>
                <RowActions type={value.type} item={item} busy={loading} onEdit={onEdit} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddForm type={value.type} onEdit={onEdit} />
      {value.next && (
        <button type="button" onClick={onMore} disabled={loading} data-testid="redis-value-more">
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
