import { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { forwardOut } from './connect-chain';

/**
 * A socket-shaped Duplex over an SSH forwardOut channel, for drivers that take a stream
 * factory (pg's `stream` option): `connect(port, host)` opens the channel; no local port is
 * ever bound.
 */
export class ForwardedSocket extends Duplex {
  #channel: Duplex | undefined;
  #pendingWrite: (() => void) | undefined;

  constructor(private readonly client: Client) {
    super({ allowHalfOpen: false });
  }

  connect(port: number, host: string): this {
    forwardOut(this.client, host, port).then(
      (channel) => {
        this.#channel = channel;
        channel.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) channel.pause();
        });
        channel.on('end', () => this.push(null));
        channel.on('close', () => this.destroy());
        channel.on('error', (error: Error) => this.destroy(error));
        this.emit('connect');
        this.#pendingWrite?.();
      },
      (error) => this.destroy(error),
    );
    return this;
  }

  override _read(): void {
    this.#channel?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.#channel) {
      this.#pendingWrite = () => this._write(chunk, encoding, callback);
      return;
    }
    this.#pendingWrite = undefined;
    this.#channel.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#channel?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#channel?.destroy();
    callback(error);
  }

  // Socket methods the drivers call; meaningless on a channel.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
