// The worker SDK can also signal over Twilio's hosted GraphQL service, which a self-hosted bridge has no use for; this
// stands in for the `graphql-ws` package in the browser bundle so that its code stays out.
export function createClient(): never {
  throw new Error('GraphQL signalling is not available against Switchboard');
}
