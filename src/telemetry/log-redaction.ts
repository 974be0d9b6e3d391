/** What replaces a secret in a log line. */
export const REDACTED = '[Redacted]';

/** Fields that hold a secret wherever they appear, at the top of a line or one object down. */
const SECRET_FIELDS = ['token', 'Token', 'authToken', 'auth_token', 'AuthToken', 'apiKeySecret', 'secret', 'password', 'signature'];

/**
 * pino's `redact` paths: credentials in request headers (Basic pairs, bearer tokens, session cookies, Twilio's
 * request signatures) and secret fields of logged objects and parameters.
 */
export const REDACTED_PATHS = [
  ...['authorization', 'cookie', 'set-cookie', 'x-twilio-signature'].flatMap((header) => [`req.headers["${header}"]`, `headers["${header}"]`]),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
];

/** Query parameters whose values are secrets: the worker SDK and media sockets carry their JWT as `token`. */
const SECRET_PARAMETER = /token|secret|password|signature|jwt/i;

/** A JSON Web Token, wherever it sits in a URL (a path segment, a parameter of any name). */
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * A request target as it may be logged: the values of secret query parameters and any JSON Web Token replaced, the
 * rest as sent.
 */
export function scrubbedTarget(raw: string): string {
  const target = raw.replace(JWT, REDACTED);
  const question = target.indexOf('?');
  if (question < 0) return target;
  const fragment = target.indexOf('#', question);
  const query = target.slice(question + 1, fragment < 0 ? undefined : fragment);
  const scrubbed = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return SECRET_PARAMETER.test(safelyDecoded(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${target.slice(0, question)}?${scrubbed}`;
}

function safelyDecoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
