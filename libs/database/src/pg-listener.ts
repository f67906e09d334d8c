import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * A dedicated PostgreSQL connection that LISTENs on some channels and calls back on every
 * NOTIFY, reconnecting after an error (NOTIFY is sent on commit, so a listener hears only
 * committed work). A notification can be lost while the connection is down: callers keep a poll
 * as the safety net, and `onConnected` runs after every (re)connect so they can catch up.
 */
export class PgListener {
  private readonly log = new Logger(PgListener.name);
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly channels: readonly string[],
    private readonly onNotify: (channel: string, payload: string | undefined) => void,
    private readonly onConnected: () => void = () => undefined,
  ) {
    for (const c of channels) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`bad channel name ${c}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: this.name });
    client.on('notification', (n) => this.onNotify(n.channel, n.payload));
    client.on('error', (err) => {
      this.log.warn(`${this.name}: LISTEN connection lost: ${err.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    this.client = client;
    try {
      await client.connect();
      for (const c of this.channels) await client.query(`listen ${c}`);
    } catch (err) {
      this.log.warn(`${this.name}: LISTEN connect failed: ${(err as Error).message}`);
      this.reconnect(client);
      return;
    }
    this.onConnected();
  }

  private reconnect(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.connect();
    }, 1000);
    this.reconnectTimer.unref();
  }
}
