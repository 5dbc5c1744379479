/**
 * Discord-style HTTP errors (`{ message, code, errors? }`), as the real API returns them.
 * Handlers throw {@link DiscordHttpError}; the HTTP layer turns it into a response.
 */

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: unknown;
  retry_after?: number;
  global?: boolean;
}

export class DiscordHttpError extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: DiscordErrorBody, headers: Record<string, string> = {}) {
    super(`${status} ${body.message} (code ${body.code})`);
    this.name = 'DiscordHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** One field-level problem inside a 50035 "Invalid Form Body" error. */
export interface FieldError {
  /** Path inside the JSON body, e.g. `['embeds', 0, 'description']`. */
  path: Array<string | number>;
  code: string;
  message: string;
}

/** Builds Discord's nested `errors` object: `{ embeds: { 0: { description: { _errors: [...] } } } }`. */
export function nestFieldErrors(fieldErrors: readonly FieldError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of fieldErrors) {
    let node = root;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (typeof next === 'object' && next !== null) {
        node = next as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        node[k] = created;
        node = created;
      }
    }
    const list = (node._errors as Array<{ code: string; message: string }> | undefined) ?? [];
    list.push({ code, message });
    node._errors = list;
  }
  return root;
}

const err = (status: number, code: number, message: string) => () => new DiscordHttpError(status, { message, code });

/** The errors the double produces. Codes are Discord's JSON error codes. */
export const DiscordErrors = {
  notFound: err(404, 0, '404: Not Found'),
  methodNotAllowed: err(405, 0, '405: Method Not Allowed'),
  unauthorized: err(401, 0, '401: Unauthorized'),
  unknownApplication: err(404, 10002, 'Unknown Application'),
  unknownChannel: err(404, 10003, 'Unknown Channel'),
  unknownGuild: err(404, 10004, 'Unknown Guild'),
  unknownMember: err(404, 10007, 'Unknown Member'),
  unknownMessage: err(404, 10008, 'Unknown Message'),
  unknownRole: err(404, 10011, 'Unknown Role'),
  unknownUser: err(404, 10013, 'Unknown User'),
  unknownWebhook: err(404, 10015, 'Unknown Webhook'),
  unknownInteraction: err(404, 10062, 'Unknown interaction'),
  unknownApplicationCommand: err(404, 10063, 'Unknown application command'),
  requestEntityTooLarge: err(413, 40005, 'Request entity too large'),
  interactionAlreadyAcknowledged: err(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: err(403, 50001, 'Missing Access'),
  cannotEditOtherUsersMessage: err(403, 50005, 'Cannot edit a message authored by another user'),
  cannotSendEmptyMessage: err(400, 50006, 'Cannot send an empty message'),
  missingPermissions: err(403, 50013, 'Missing Permissions'),
  invalidChannelType: err(400, 50024, 'Cannot execute action on this channel type'),
  invalidJson: err(400, 50109, 'The request body contains invalid JSON.'),
  threadAlreadyCreated: err(400, 160004, 'A thread has already been created for this message'),
  invalidFormBody(fieldErrors: readonly FieldError[]): DiscordHttpError {
    return new DiscordHttpError(400, { message: 'Invalid Form Body', code: 50035, errors: nestFieldErrors(fieldErrors) });
  },
} as const;
