import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../src/host/host';
import { closedWithin, frame, rawExchange, rawWebSocket, statusOf } from '../support/raw-http';
import { tempCore, type TempCore } from '../support/temp-core';

let temp: TempCore;
let host: RunningHost;
let staticDir: string;

before(async () => {
  temp = tempCore();
  staticDir = mkdtempSync(join(tmpdir(), 'opsconsole-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ops Console</title>');
  host = await startHost({ core: temp.core, staticDir });
});

after(async () => {
  await host.close();
  await temp.dispose();
  rmSync(staticDir, { recursive: true, force: true });
});

/**
 * A GET with `Connection: close`: the exchange ends when the host closes the socket after its answer.
 * Up to 10 s of silence is waited for, not rawExchange's 300 ms: a host busy under the parallel test
 * run can take longer than that to answer, and no answer (null) is not a status.
 */
const get = (path: string, headers: Record<string, string> = {}) =>
  rawExchange(
    host.port,
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}Connection: close\r\n\r\n`,
    10_000,
  );

async function assertServesApp(after: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${host.port}/`);
  assert.equal(response.status, 200, `the host stopped serving after ${after}`);
  assert.match(await response.text(), /Ops Console/);
}

function invokeInfo(origin: string): Promise<{ id: number; result: { ok: boolean } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 7, op: 'app.info', input: {} })));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.id !== 7) return;
      ws.close();
      resolve(message);
    });
  });
}

test('GET /%E0%A4%A gets 400 and the host keeps serving the app', async () => {
  assert.equal(statusOf(await get('/%E0%A4%A')), 400);
  assert.equal(statusOf(await get('/%00')), 400);
  assert.equal(statusOf(await get('/..%2f..%2fetc%2fpasswd')), 403);
  await assertServesApp('/%E0%A4%A');
});

test('fuzzed request paths never get a 5xx and never stop the host', async () => {
  const alphabet = [
    '%',
    'E0',
    'A4',
    '%FF',
    '%C0%AF',
    '..',
    '/',
    '\\',
    '?',
    '#',
    '%2e',
    'a',
    '%u0041',
    '~',
    ';',
    '%0d%0a',
  ];
  for (let round = 0; round < 150; round++) {
    const path =
      '/' + Array.from({ length: 1 + (round % 9) }, () => alphabet[randomBytes(1)[0]! % alphabet.length]).join('');
    const status = statusOf(await get(path));
    assert.ok(status === null || status < 500, `${path} answered ${status}`);
  }
  await assertServesApp('fuzzed paths');
});

test('malformed request lines and headers get a 4xx or a close, and the host keeps serving', async () => {
  const junk = [
    'GARBAGE\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\0b\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${'9'.repeat(40)}\r\n\r\n`,
    `GET / HTTP/1.1\r\nHo st: x\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n`,
    `GET /ws?token=%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    randomBytes(2048),
  ];
  for (const bytes of junk) {
    const status = statusOf(await rawExchange(host.port, bytes));
    assert.ok(status === null || (status >= 400 && status < 500), `${String(bytes).slice(0, 40)} answered ${status}`);
  }
  assert.equal(statusOf(await get('/', { Host: 'evil.example' })), 400, 'two Host headers');
  await assertServesApp('malformed requests');
});

test('a foreign Host header (DNS rebinding) is refused', async () => {
  const response = await rawExchange(
    host.port,
    `GET / HTTP/1.1\r\nHost: evil.example:${host.port}\r\nConnection: close\r\n\r\n`,
  );
  assert.equal(statusOf(response), 421);
});

test('origins are compared as parsed origins, not as string prefixes', async () => {
  for (const origin of [
    `http://127.0.0.1:${host.port}.evil.example`,
    `http://localhost:${host.port}@evil.example`,
    'null',
    `ws://127.0.0.1:${host.port}`,
    'http://127.0.0.1:1',
  ]) {
    await assert.rejects(invokeInfo(origin), /403/, origin);
  }
  assert.equal((await invokeInfo(`http://localhost:${host.port}`)).result.ok, true);
  assert.equal(
    (await invokeInfo(`http://127.0.0.1:${host.port}/`)).result.ok,
    true,
    'a trailing slash is the same origin',
  );
});

test('malformed and oversize WebSocket frames close that client only; the host keeps answering', async () => {
  const path = `/ws?token=${host.token}`;
  const origin = `http://127.0.0.1:${host.port}`;
  const bad = [
    frame(0x1, Buffer.from('{"id":1}'), { masked: false }),
    frame(0x3, Buffer.from('x')),
    frame(0x1, Buffer.from([0xc3, 0x28])),
    frame(0x2, Buffer.alloc(16), { declaredLength: 9 * 1024 * 1024 }),
    frame(0x9, Buffer.alloc(200)),
    frame(0x8, Buffer.from([0x03])),
  ];
  for (const bytes of bad) {
    const socket = await rawWebSocket(host.port, path, origin);
    socket.write(bytes);
    assert.equal(
      await closedWithin(socket, 3000),
      true,
      `frame ${bytes.subarray(0, 2).toString('hex')} did not close the client`,
    );
  }
  assert.equal((await invokeInfo(origin)).result.ok, true);
});

test('a message that is not a request is answered with an error, not a crash', async () => {
  const replies = await new Promise<string[]>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    const seen: string[] = [];
    const messages = [
      'not json',
      '{"id":-1,"op":"app.info"}',
      '{"id":1,"op":"nope.nothing","input":{}}',
      JSON.stringify({ id: 2, op: 'app.info', input: { extra: 'x'.repeat(1000) } }),
      '[]',
      'null',
    ];
    ws.on('error', reject);
    ws.on('open', () => messages.forEach((m) => ws.send(m)));
    ws.on('message', (data) => {
      seen.push(data.toString());
      if (seen.length === messages.length) {
        ws.close();
        resolve(seen);
      }
    });
  });
  for (const reply of replies) assert.equal(JSON.parse(reply).result.ok, false, reply);
  assert.equal((await invokeInfo(`http://127.0.0.1:${host.port}`)).result.ok, true);
});
