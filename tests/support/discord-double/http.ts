/**
 * HTTP plumbing for the REST half: request parsing (JSON and multipart with payload_json),
 * recording, injected failures (`failNext`), auth, routing, Discord-style error responses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordErrors, DiscordHttpError, type DiscordErrorBody } from './errors.js';
import type { JsonObject, RecordedFile } from './state.js';
import { WaitableLog } from './wait.js';

/** One REST request the double received, with the answer it gave. */
export interface RecordedRequest {
  /** 1, 2, 3, ... in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** Path without `/api` and `/v10`, e.g. `/channels/123/messages`. */
  readonly path: string;
  /** The matched route template, e.g. `/channels/:channelId/messages`, or null if none matched. */
  readonly route: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` (plus any plain fields). */
  readonly body: unknown;
  /** Uploaded files of a multipart request. */
  readonly files: readonly RecordedFile[];
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** API version from the URL (`10` for `/api/v10/...`), null if none. */
  readonly apiVersion: number | null;
  readonly receivedAt: number;
  /** HTTP status the double answered with. */
  readonly status: number;
  /** JSON body the double answered with (undefined for 204). */
  readonly response: unknown;
  /** Answered by a `failNext` rule. */
  readonly injectedFailure: boolean;
}

/** A request matcher: a predicate, or method/path/route criteria (all given ones must match). */
export type RequestMatcher =
  | ((request: RecordedRequest) => boolean)
  | { method?: string; path?: string | RegExp; route?: string };

export function matchRequest(matcher: RequestMatcher, request: RecordedRequest): boolean {
  if (typeof matcher === 'function') return matcher(request);
  if (matcher.method && matcher.method.toUpperCase() !== request.method) return false;
  if (matcher.route && matcher.route !== request.route) return false;
  if (matcher.path !== undefined && !pathMatches(matcher.path, request.path)) return false;
  return true;
}

/** A string path may contain `:param` segments (`/channels/:id/messages`); a RegExp is tested as is. */
export function pathMatches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (!pattern.includes(':')) return pattern === path;
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, i) => segment.startsWith(':') || segment === got[i]);
}

export function describeMatcher(matcher: RequestMatcher): string {
  if (typeof matcher === 'function') return `a request matching ${matcher.name || 'the predicate'}`;
  const parts = [matcher.method?.toUpperCase() ?? '*', matcher.route ?? (matcher.path !== undefined ? String(matcher.path) : '*')];
  return parts.join(' ');
}

/** Options of {@link HttpFront.failNext}. */
export interface FailureOptions {
  /** Default: any method. */
  method?: string;
  /** Exact path, a path with `:param` segments, or a RegExp tested against the path. */
  path: string | RegExp;
  status: number;
  /** Default: a Discord-style body for the status (403 -> Missing Permissions 50013, 429 -> retry_after 0.05, ...). */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Carry the request out first, then answer with the failure: Discord did it, but the bot never hears so. */
  afterHandling?: boolean;
}

/** A pending injected failure. */
export interface FailureHandle {
  readonly options: FailureOptions;
  /** Matching requests still to fail. */
  readonly remaining: number;
  /** Requests it answered. */
  readonly hits: readonly RecordedRequest[];
  /** Removes the rule. */
  cancel(): void;
}

export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  headers: Record<string, string>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: string;
  /** Whether a bot Authorization header is required (false for interaction callbacks and webhooks). */
  auth: boolean;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

export interface HttpFrontOptions {
  /** If set, `Authorization: Bot <token>` must carry exactly this token (401 otherwise). */
  token: string | undefined;
  routes: Route[];
  /** Non-API GET paths (attachments): return null if not handled. */
  serveRaw(path: string): { status: number; body: Buffer; contentType: string } | null;
  /** Called after a response was written. */
  onResponded(request: RecordedRequest): void;
}

interface MutableRecordedRequest extends Omit<RecordedRequest, 'status' | 'response' | 'injectedFailure' | 'route' | 'params' | 'body' | 'files'> {
  body: unknown;
  files: RecordedFile[];
  status: number;
  response: unknown;
  injectedFailure: boolean;
  route: string | null;
  params: Record<string, string>;
}

interface FailureRule {
  options: FailureOptions;
  remaining: number;
  hits: RecordedRequest[];
}

export class HttpFront {
  readonly server: http.Server;
  /** Every API request, in the order its answer was determined. */
  readonly requests = new WaitableLog<RecordedRequest>('REST requests', (r) => `${r.method} ${r.path}${queryString(r.query)} -> ${r.status}${r.injectedFailure ? ' (failNext)' : ''}`);
  /** Requests no route handled (404/405). */
  readonly unhandled: RecordedRequest[] = [];
  readonly #options: HttpFrontOptions;
  readonly #rules: FailureRule[] = [];
  #seq = 0;
  #closed = false;

  constructor(options: HttpFrontOptions) {
    this.#options = options;
    this.server = http.createServer((req, res) => {
      void this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `Discord double crashed: ${String(error)}`, code: 0 }));
        }
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  failNext(options: FailureOptions): FailureHandle {
    const rule: FailureRule = { options, remaining: options.times ?? 1, hits: [] };
    this.#rules.push(rule);
    const rules = this.#rules;
    return {
      options,
      get remaining() {
        return rule.remaining;
      },
      hits: rule.hits,
      cancel() {
        const index = rules.indexOf(rule);
        if (index >= 0) rules.splice(index, 1);
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.requests.close('the Discord double was closed');
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive sockets (undici pools them) would otherwise hold close() open.
    this.server.closeAllConnections();
    await closed;
  }

  // -------------------------------------------------------------------------------------------

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);

    const match = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    if (!match) {
      const served = req.method === 'GET' ? this.#options.serveRaw(url.pathname) : null;
      if (served) {
        res.writeHead(served.status, { 'content-type': served.contentType, 'content-length': served.body.length });
        res.end(served.body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not found (the Discord double serves the API under /api)');
      }
      return;
    }
    const apiVersion = match[1] ? Number(match[1]) : null;
    // discord.js percent-encodes some segments (`%40original`, emoji); record them decoded.
    const path = (match[2] ?? '/').replace(/\/+$/, '').split('/').map(safeDecode).join('/') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: MutableRecordedRequest = {
      seq: ++this.#seq,
      method,
      path,
      route: null,
      params: {},
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      headers,
      apiVersion,
      receivedAt: Date.now(),
      status: 0,
      response: undefined,
      injectedFailure: false,
    };

    let result: RouteResult;
    try {
      const parsed = await parseBody(raw, headers['content-type']);
      record.body = parsed.body;
      record.files = parsed.files;
      result = await this.#route(record);
    } catch (error) {
      result = errorResult(error);
    }

    record.status = result.status;
    record.response = result.body;
    const frozen = record as RecordedRequest;
    if (record.route === null && !record.injectedFailure && (result.status === 404 || result.status === 405)) this.unhandled.push(frozen);
    this.requests.push(frozen);

    const responseHeaders: Record<string, string> = { ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, responseHeaders);
      res.end();
    } else {
      const json = JSON.stringify(result.body);
      res.writeHead(result.status, { 'content-type': 'application/json', ...responseHeaders });
      res.end(json);
    }
    this.#options.onResponded(frozen);
  }

  async #route(record: MutableRecordedRequest): Promise<RouteResult> {
    const candidates = this.#options.routes
      .map((route) => ({ route, params: matchPattern(route.pattern, record.path) }))
      .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== null);
    const found = candidates.find((c) => c.route.method === record.method);
    if (found) {
      record.route = found.route.pattern;
      record.params = found.params;
    }

    // Injected failures win over everything else (but are still recorded).
    const rule = this.#rules.find((r) => (!r.options.method || r.options.method.toUpperCase() === record.method) && pathMatches(r.options.path, record.path));
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
      record.injectedFailure = true;
      rule.hits.push(record as RecordedRequest);
      if (rule.options.afterHandling && found) await this.#carryOut(found, record).catch(() => undefined);
      return failureResult(rule.options);
    }

    if (!found) {
      if (candidates.length > 0) throw DiscordErrors.methodNotAllowed();
      throw DiscordErrors.notFound();
    }
    return this.#carryOut(found, record);
  }

  async #carryOut(found: { route: Route; params: Record<string, string> }, record: MutableRecordedRequest): Promise<RouteResult> {
    if (found.route.auth) this.#checkAuth(record.headers.authorization);
    return found.route.handle({
      method: record.method,
      path: record.path,
      params: found.params,
      query: record.query,
      body: record.body,
      files: record.files,
      headers: record.headers,
    });
  }

  #checkAuth(header: string | undefined): void {
    const match = header ? /^Bot (.+)$/.exec(header) : null;
    if (!match) throw DiscordErrors.unauthorized();
    if (this.#options.token !== undefined && match[1] !== this.#options.token) throw DiscordErrors.unauthorized();
  }
}

function queryString(query: Readonly<Record<string, string>>): string {
  const entries = Object.entries(query);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith(':')) {
      if (actual === '') return null;
      params[segment.slice(1)] = actual;
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType?.toLowerCase() ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    const body: JsonObject = {};
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            Object.assign(body, JSON.parse(value) as JsonObject);
          } catch {
            throw DiscordErrors.invalidJson();
          }
        } else {
          body[field] = value;
        }
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, contentType: value.type || 'application/octet-stream', size: data.length, data });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  if (type.startsWith('application/json') || text.startsWith('{') || text.startsWith('[')) {
    try {
      return { body: JSON.parse(text) as unknown, files: [] };
    } catch {
      throw DiscordErrors.invalidJson();
    }
  }
  return { body: text, files: [] };
}

function errorResult(error: unknown): RouteResult {
  if (error instanceof DiscordHttpError) return { status: error.status, body: error.body, headers: error.headers };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { status: 500, body: { message: `Discord double handler error: ${message}`, code: 0 } };
}

function defaultFailureBody(status: number): DiscordErrorBody {
  switch (status) {
    case 400:
      return { message: '400: Bad Request', code: 0 };
    case 401:
      return { message: '401: Unauthorized', code: 0 };
    case 403:
      return { message: 'Missing Permissions', code: 50013 };
    case 404:
      return { message: '404: Not Found', code: 0 };
    case 429:
      return { message: 'You are being rate limited.', retry_after: 0.05, global: false, code: 0 };
    default:
      return status >= 500 ? { message: `${status}: Internal Server Error`, code: 0 } : { message: `${status}`, code: 0 };
  }
}

function failureResult(options: FailureOptions): RouteResult {
  const body = options.body ?? defaultFailureBody(options.status);
  const headers: Record<string, string> = {};
  if (options.status === 429) {
    const retryAfter = typeof body === 'object' && body !== null && 'retry_after' in body ? Number((body as { retry_after: unknown }).retry_after) : 0.05;
    headers['retry-after'] = String(retryAfter);
    headers['x-ratelimit-scope'] = 'user';
    if (typeof body === 'object' && body !== null && (body as { global?: unknown }).global === true) headers['x-ratelimit-global'] = 'true';
  }
  return { status: options.status, body, headers: { ...headers, ...options.headers } };
}
