import twilio from 'twilio';

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/**
 * Sends twilio-node's Voice REST requests (api.twilio.com: Calls, Queues) to `baseUrl` instead — a simulator, a
 * proxy. The rewrite happens after twilio-node has built the URL, so its region and edge settings cannot garble the
 * host; a path in `baseUrl` is put in front of the request's path.
 */
export class ApiBaseRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string) {
    super();
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const uri = new URL(opts.uri);
    if (uri.hostname.startsWith('api.')) {
      uri.protocol = this.base.protocol;
      uri.host = this.base.host;
      uri.pathname = this.base.pathname.replace(/\/+$/, '') + uri.pathname;
    }
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

/** The twilio REST client the connector places and moves calls with. */
export function createTwilioRestClient(accountSid: string, authToken: string, apiBaseUrl: string): twilio.Twilio {
  const onTwilio = new URL(apiBaseUrl).hostname === 'api.twilio.com';
  return twilio(accountSid, authToken, onTwilio ? {} : { httpClient: new ApiBaseRequestClient(apiBaseUrl) });
}
