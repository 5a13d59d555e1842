import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Sends bytes as they are (no client-side validation) and collects what comes back until the peer closes or goes quiet. */
export function rawExchange(port: number, bytes: Buffer | string, quietMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(bytes);
      quiet();
    });
  });
}

/** The status code of a raw exchange's first response line, or null when nothing came back. */
export function statusOf(response: string): number | null {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : null;
}

/** A WebSocket handshake done by hand, so the test can then write frames no client library would. */
export function rawWebSocket(port: number, path: string, origin: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
      ),
    );
    socket.once('data', (chunk) =>
      chunk.toString('latin1').startsWith('HTTP/1.1 101')
        ? resolve(socket)
        : reject(new Error(chunk.toString('latin1'))),
    );
  });
}

/** One WebSocket frame; masked as a client must, unless the test wants it wrong. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { masked?: boolean; declaredLength?: number; fin?: boolean } = {},
): Buffer {
  const masked = options.masked ?? true;
  const length = options.declaredLength ?? payload.length;
  const head = [((options.fin ?? true) ? 0x80 : 0) | opcode];
  const lengthBytes: number[] = [];
  if (length < 126) head.push((masked ? 0x80 : 0) | length);
  else if (length < 65536) (head.push((masked ? 0x80 : 0) | 126), lengthBytes.push(length >> 8, length & 0xff));
  else {
    head.push((masked ? 0x80 : 0) | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    lengthBytes.push(...big);
  }
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
  return Buffer.concat([Buffer.from(head), Buffer.from(lengthBytes), mask, body]);
}

/** Resolves when the peer closes the socket (or after `ms`, with false). */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}
