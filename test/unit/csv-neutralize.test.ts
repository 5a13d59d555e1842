import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { neutralizeCsvStream } from '../../src/main/postgres/csv-neutralize';
import { csvLine } from '../../src/main/postgres/csv';

test('the COPY stream and csvLine neutralise the same cells, whatever the chunk boundaries', async () => {
  const rows: (string | null)[][] = [
    ['=1+1', '+x', '-3', '@a', '\tt', '\rr', 'plain', null, '', '"=q"', 'a,=b', '日本=', '=\n2'],
  ];
  const csv = rows.map((r) => csvLine(r, true)).join('');
  const expected = rows.map((r) => csvLine(r)).join('');
  assert.equal(expected, `'=1+1,'+x,'-3,'@a,'\tt,"'\rr",plain,,"","""=q""","a,=b",日本=,"'=\n2"\n`);
  for (const size of [1, 2, 3, 7, csv.length]) {
    const bytes = Buffer.from(csv);
    const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
      bytes.subarray(i * size, (i + 1) * size),
    );
    assert.equal(await text(Readable.from(chunks).pipe(neutralizeCsvStream())), expected, `chunks of ${size}`);
  }
});

test('Copy as CSV and attached rows neutralise formula cells too', async () => {
  const { formatRows } = await import('../../src/renderer/src/components/sql/copy-format');
  const { toCsv } = await import('../../src/main/incidents/incident-service');
  const fields = [
    { name: 'a', dataTypeID: 25, type: 'text' },
    { name: 'b', dataTypeID: 25, type: 'text' },
  ] as never;
  assert.equal(
    formatRows('csv', fields, [['=HYPERLINK("http://evil")', 'ok']]),
    `a,b\n"'=HYPERLINK(""http://evil"")",ok\n`,
  );
  assert.equal(toCsv(['a', 'b'], [['@cmd', -1]]), `a,b\r\n'@cmd,'-1\r\n`);
});
