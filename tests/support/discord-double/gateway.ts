/**
 * The gateway half of the double: a WebSocket endpoint speaking Discord's gateway protocol v10
 * (JSON encoding, optional zlib-stream transport compression).
 *
 * HELLO -> IDENTIFY -> READY (+ one GUILD_CREATE per guild) -> dispatches; HEARTBEAT -> ACK;
 * RESUME replays missed dispatches and sends RESUMED; REQUEST_GUILD_MEMBERS -> GUILD_MEMBERS_CHUNK.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { fakeSessionId } from './snowflake.js';
import type { JsonObject } from './state.js';
import { WaitableLog } from './wait.js';

/** Intents Discord treats as privileged (must be enabled in the developer portal). */
export const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** What the gateway needs from the rest of the double. */
export interface GatewayHost {
  /** Whether an IDENTIFY/RESUME token is acceptable (4004 Authentication failed otherwise). */
  acceptsToken(token: string): boolean;
  /** The privileged intents the application is allowed to request (4014 otherwise). */
  allowedPrivilegedIntents(): number;
  readyPayload(session: GatewaySession): JsonObject;
  guildCreatePayloads(session: GatewaySession): JsonObject[];
  membersChunks(session: GatewaySession, request: JsonObject): JsonObject[];
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** Pause between READY and the GUILD_CREATEs (see the note in `#identify`). */
  readyGapMs: number;
}

/** A payload the client sent over the gateway. */
export interface ReceivedGatewayPayload {
  at: number;
  connectionId: number;
  sessionId: string | null;
  op: number;
  d: unknown;
}

/** What the double knows about one gateway connection. */
export interface GatewayConnectionInfo {
  id: number;
  /** Query string of the upgrade request (`v`, `encoding`, `compress`). */
  query: Record<string, string>;
  compress: string | null;
  openedAt: number;
  closedAt: number | null;
  closeCode: number | null;
  heartbeats: number;
}

/** One gateway session (survives reconnects through RESUME). */
export class GatewaySession {
  readonly id: string;
  readonly identify: JsonObject;
  readonly intents: number;
  seq = 0;
  /** Every dispatch sent in this session, for RESUME replay. */
  readonly log: JsonObject[] = [];
  connection: GatewayConnection | null = null;
  /** READY and all GUILD_CREATEs were written to the socket. */
  ready = false;
  /** Ended: the client closed with 1000/1001 or the session was invalidated. */
  ended = false;
  resumes = 0;

  constructor(identify: JsonObject) {
    this.id = fakeSessionId();
    this.identify = identify;
    this.intents = typeof identify.intents === 'number' ? identify.intents : 0;
  }

  hasIntent(intent: number): boolean {
    return (this.intents & intent) === intent;
  }
}

class GatewayConnection {
  readonly info: GatewayConnectionInfo;
  readonly ws: WebSocket;
  session: GatewaySession | null = null;
  #chain: Promise<void> = Promise.resolve();
  readonly #deflate: zlib.Deflate | null;

  constructor(id: number, ws: WebSocket, query: Record<string, string>) {
    this.ws = ws;
    const compress = query.compress ?? null;
    this.info = { id, query, compress, openedAt: Date.now(), closedAt: null, closeCode: null, heartbeats: 0 };
    this.#deflate = compress === 'zlib-stream' ? zlib.createDeflate({ chunkSize: 65535 }) : null;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Sends in order; resolves once written (or immediately if the socket is gone). */
  send(payload: JsonObject): Promise<void> {
    const json = JSON.stringify(payload);
    const next = this.#chain.then(() => (this.#deflate ? this.#sendCompressed(json) : this.#sendRaw(json)));
    this.#chain = next.catch(() => undefined);
    return this.#chain;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  dispose(): void {
    this.#deflate?.close();
  }

  #sendRaw(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (!this.open) return resolve();
      this.ws.send(data, () => resolve());
    });
  }

  #sendCompressed(json: string): Promise<void> {
    const deflate = this.#deflate;
    if (!deflate) return this.#sendRaw(json);
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const onData = (chunk: Buffer) => chunks.push(chunk);
      deflate.on('data', onData);
      deflate.write(json);
      // Z_SYNC_FLUSH ends every message with 00 00 ff ff, which is what clients look for.
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        deflate.off('data', onData);
        void this.#sendRaw(Buffer.concat(chunks)).then(resolve);
      });
    });
  }
}

export class GatewayServer {
  readonly sessions: GatewaySession[] = [];
  readonly connections: GatewayConnectionInfo[] = [];
  /** Every payload clients sent (heartbeats, identify, presence updates, ...). */
  readonly received = new WaitableLog<ReceivedGatewayPayload>('gateway payloads', (p) => `op ${p.op} (${opName(p.op)}) on connection ${p.connectionId}`);
  /** Sessions that became ready (READY and GUILD_CREATEs written), in order. */
  readonly readySessions = new WaitableLog<GatewaySession>('ready gateway sessions', (s) => `session ${s.id} (intents ${s.intents})`);
  /** IDENTIFY payloads (`d`), in order. */
  readonly identifies = new WaitableLog<JsonObject>('IDENTIFY payloads', (d) => `intents ${String(d.intents)}, shard ${JSON.stringify(d.shard)}`);

  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #live = new Set<GatewayConnection>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #host: GatewayHost;
  readonly #options: GatewayOptions;
  #nextConnectionId = 1;
  #closed = false;

  constructor(host: GatewayHost, options: GatewayOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** Hook for the HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#onConnection(ws, request));
  }

  /** Sessions that are identified and currently connected. */
  get liveSessions(): GatewaySession[] {
    return this.sessions.filter((s) => !s.ended && s.connection?.open === true);
  }

  /**
   * Sends a dispatch to every live session. `build` may return `null` to skip a session (intents)
   * or a per-session payload. Resolves with the number of sessions it was written to.
   */
  async dispatch(event: string, build: (session: GatewaySession) => unknown): Promise<number> {
    const sends: Array<Promise<void>> = [];
    let written = 0;
    for (const session of this.sessions) {
      if (session.ended || !session.ready) continue;
      const data = build(session);
      if (data === null || data === undefined) continue;
      // A session between connections still gets the event in its log; RESUME replays it.
      if (session.connection?.open) written += 1;
      sends.push(this.#dispatchTo(session, event, data));
    }
    await Promise.all(sends);
    return written;
  }

  /** Closes every connection with `code` (4000 makes discord.js resume; 1000 makes it re-identify). */
  disconnectAll(code = 4000, reason = 'Disconnected by the Discord double'): void {
    for (const connection of this.#live) connection.close(code, reason);
  }

  /** Sends op 7 RECONNECT: discord.js closes with 4200 and resumes. */
  async requestReconnect(): Promise<void> {
    await Promise.all([...this.#live].map((c) => c.send({ op: GatewayOpcodes.Reconnect, d: null, s: null, t: null })));
  }

  /** Sends op 9 INVALID_SESSION. With `resumable: false` the sessions end and clients re-identify. */
  async invalidateSessions(resumable = false): Promise<void> {
    const sends: Array<Promise<void>> = [];
    for (const connection of this.#live) {
      if (!resumable && connection.session) connection.session.ended = true;
      sends.push(connection.send({ op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null }));
    }
    await Promise.all(sends);
  }

  /**
   * Closes every socket; idempotent. The default close code, 4010 (Invalid shard), is one that
   * discord.js treats as unrecoverable: with any other code a still-connected client would retry
   * forever, and @discordjs/ws 1.x cannot even stop that loop with `client.destroy()` once it is
   * between attempts.
   */
  async close(code = 4010): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closing = [...this.#live].map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.ws.readyState === connection.ws.CLOSED) return resolve();
          const timer = setTimeout(() => {
            connection.ws.terminate();
            resolve();
          }, 250);
          connection.ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          connection.close(code, 'Discord double shutting down');
        }),
    );
    await Promise.all(closing);
    for (const connection of this.#live) connection.dispose();
    this.#live.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    const reason = 'the Discord double was closed';
    this.received.close(reason);
    this.readySessions.close(reason);
    this.identifies.close(reason);
  }

  // -------------------------------------------------------------------------------------------

  #onConnection(ws: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'ws://localhost');
    const query = Object.fromEntries(url.searchParams);
    const connection = new GatewayConnection(this.#nextConnectionId++, ws, query);
    this.connections.push(connection.info);
    this.#live.add(connection);

    ws.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      connection.info.closedAt = Date.now();
      connection.info.closeCode = code;
      this.#live.delete(connection);
      connection.dispose();
      const session = connection.session;
      if (session && session.connection === connection) {
        session.connection = null;
        // A client closing with 1000/1001 ends its session (it will IDENTIFY again, not RESUME).
        if (code === 1000 || code === 1001) session.ended = true;
      }
    });

    if (query.v !== undefined && query.v !== '10') {
      connection.close(4012, 'Invalid API version');
      return;
    }
    if (query.encoding !== undefined && query.encoding !== 'json') {
      connection.close(4002, `The double only speaks encoding=json (got ${query.encoding})`);
      return;
    }
    if (query.compress !== undefined && query.compress !== 'zlib-stream') {
      connection.close(4002, `The double does not support compress=${query.compress}`);
      return;
    }
    void connection.send({
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs, _trace: ['["gateway-double",{"micros":0.0}]'] },
      s: null,
      t: null,
    });
  }

  #onMessage(connection: GatewayConnection, data: unknown, isBinary: boolean): void {
    let payload: JsonObject;
    try {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data);
      payload = JSON.parse(text) as JsonObject;
    } catch {
      connection.close(4002, 'Decode error');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.received.push({ at: Date.now(), connectionId: connection.info.id, sessionId: connection.session?.id ?? null, op, d: payload.d });

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        connection.info.heartbeats += 1;
        void connection.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, (payload.d ?? {}) as JsonObject);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, (payload.d ?? {}) as JsonObject);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!connection.session) connection.close(4003, 'Not authenticated');
        return;
      case GatewayOpcodes.RequestGuildMembers:
        if (!connection.session) {
          connection.close(4003, 'Not authenticated');
          return;
        }
        for (const chunk of this.#host.membersChunks(connection.session, (payload.d ?? {}) as JsonObject)) {
          void this.#dispatchTo(connection.session, 'GUILD_MEMBERS_CHUNK', chunk);
        }
        return;
      default:
        connection.close(4001, 'Unknown opcode');
    }
  }

  #identify(connection: GatewayConnection, d: JsonObject): void {
    if (connection.session) {
      connection.close(4005, 'Already authenticated');
      return;
    }
    if (typeof d.token !== 'string' || !this.#host.acceptsToken(d.token)) {
      connection.close(4004, 'Authentication failed');
      return;
    }
    if (typeof d.intents !== 'number') {
      connection.close(4013, 'Invalid intent(s)');
      return;
    }
    const privileged = d.intents & PRIVILEGED_INTENTS;
    if ((privileged & ~this.#host.allowedPrivilegedIntents()) !== 0) {
      connection.close(4014, 'Disallowed intent(s)');
      return;
    }
    const session = new GatewaySession(d);
    session.connection = connection;
    connection.session = session;
    this.sessions.push(session);
    this.identifies.push(d);

    const ready = this.#dispatchTo(session, 'READY', this.#host.readyPayload(session), true);
    // @discordjs/ws handles each frame in an async function and awaits more steps for READY than
    // for other dispatches; if GUILD_CREATE arrives in the same TCP read it can overtake READY and
    // the guild is never counted. Real Discord never sends them that close together.
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void ready.then(async () => {
        const creates = this.#host.guildCreatePayloads(session).map((guild) => this.#dispatchTo(session, 'GUILD_CREATE', guild, true));
        await Promise.all(creates);
        if (!session.ended) {
          session.ready = true;
          this.readySessions.push(session);
        }
      });
    }, this.#options.readyGapMs);
    this.#timers.add(timer);
  }

  #resume(connection: GatewayConnection, d: JsonObject): void {
    const session = this.sessions.find((s) => s.id === d.session_id && !s.ended);
    if (!session || typeof d.token !== 'string' || !this.#host.acceptsToken(d.token)) {
      void connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.close(4009, 'Session resumed elsewhere');
    session.connection = connection;
    connection.session = session;
    session.resumes += 1;
    const since = typeof d.seq === 'number' ? d.seq : 0;
    for (const entry of session.log) {
      if (typeof entry.s === 'number' && entry.s > since) void connection.send(entry);
    }
    void this.#dispatchTo(session, 'RESUMED', { _trace: ['["gateway-double",{"micros":0.0}]'] }, true);
  }

  #dispatchTo(session: GatewaySession, event: string, data: unknown, force = false): Promise<void> {
    if (session.ended && !force) return Promise.resolve();
    session.seq += 1;
    const payload: JsonObject = { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data };
    session.log.push(payload);
    if (session.log.length > 1000) session.log.shift();
    return session.connection?.open ? session.connection.send(payload) : Promise.resolve();
  }
}

function opName(op: number): string {
  return (GatewayOpcodes as unknown as Record<number, string>)[op] ?? 'unknown';
}
