/** A REST failure in Twilio's shape: `{code, message, more_info, status}` with the matching HTTP status. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestError';
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/** 404 / 20404, worded as Twilio words it. */
export function notFound(path: string): RestError {
  return new RestError(404, 20404, `The requested resource ${path} was not found`);
}

/** 400 for a missing required parameter, with the code Twilio uses for that parameter where it has one. */
export function missingParameter(name: string, code = 20001): RestError {
  return new RestError(400, code, `Missing required parameter ${name} in the post body`);
}

export function invalidParameter(name: string, detail: string, code = 20001): RestError {
  return new RestError(400, code, `Invalid parameter ${name}: ${detail}`);
}
