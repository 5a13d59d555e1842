import { useState } from 'react';
import type { RedisInfoSection, RedisReply } from '../../../../shared/contract';
import { quoteRedisText } from '../../../../shared/redis-bytes';

/** Copies `text` and says so for a moment. */
export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy-button"
      data-testid={testId}
      data-copy={text.length <= 100_000 ? text : undefined}
      onClick={() => {
        void navigator.clipboard.writeText(text).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/**
 * A string reply: text as is, binary values escaped (as redis-cli prints them) and marked. The copy
 * is a quoted argument that the Redis command line reads back to exactly the same bytes.
 */
export function StringReply({ value, binary }: { value: string; binary?: boolean }) {
  const copy = binary ? `"${value}"` : quoteRedisText(value);
  return (
    <span className="reply-string">
      {binary && (
        <span className="binary-mark" title="Not UTF-8 text: shown with \xHH escapes" data-testid="binary-mark">
          binary
        </span>
      )}
      "{value}" <CopyButton text={copy} label="Copy as argument" testId="redis-copy-value" />
    </span>
  );
}

export function InfoTables({ sections }: { sections: RedisInfoSection[] }) {
  return (
    <div className="info-tables" data-testid="redis-info-tables">
      {sections.map((section) => (
        <table key={section.name} className="kv-table" data-testid="redis-info-section">
          <caption>{section.name}</caption>
          <tbody>
            {section.rows.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

const scanCommands = new Set(['scan', 'hscan', 'sscan', 'zscan']);

/** Where the cursor is in a SCAN-family argv (SCAN cursor …; HSCAN key cursor …). */
function cursorIndex(argv: string[]): number {
  return argv[0]!.toLowerCase() === 'scan' ? 1 : 2;
}

/** A SCAN-family reply: [cursor, [elements]] with the cursor said as such, and the next page one click away. */
export function ScanReply({
  argv,
  reply,
  onNext,
  render,
}: {
  argv: string[];
  reply: RedisReply;
  onNext: (argv: string[]) => void;
  render: (reply: RedisReply) => React.ReactNode;
}) {
  const first = reply.type === 'array' ? reply.items[0] : undefined;
  if (reply.type !== 'array' || reply.items.length !== 2 || first?.type !== 'string') return <>{render(reply)}</>;
  const cursor = first.value;
  const next = [...argv];
  next[cursorIndex(argv)] = cursor;
  return (
    <div className="scan-reply">
      <p className="result-meta" data-testid="redis-scan-cursor">
        next cursor: <code>{cursor}</code> {cursor === '0' ? '(the walk is complete)' : ''}
        {cursor !== '0' && (
          <button type="button" onClick={() => onNext(next)} data-testid="redis-scan-next">
            Next page
          </button>
        )}
      </p>
      {render(reply.items[1]!)}
    </div>
  );
}

/** Whether the reply of this argv has a view of its own (INFO tables, a SCAN page). */
export function specialReply(argv: string[], reply: RedisReply): 'info' | 'scan' | undefined {
  const name = argv[0]?.toLowerCase() ?? '';
  if (name === 'info' && reply.type === 'string') return 'info';
  if (scanCommands.has(name) && argv.length > cursorIndex(argv) && reply.type === 'array') return 'scan';
  return undefined;
}
