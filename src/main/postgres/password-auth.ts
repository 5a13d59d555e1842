import type pg from 'pg';
import { OpsError } from '../errors';

/** The password requests that hand the password (or a replayable hash) to whoever asks. */
const legacyRequests = ['authenticationCleartextPassword', 'authenticationMD5Password'] as const;

/**
 * Lets only SCRAM have the password, unless the profile opts in to legacy auth. A server (or
 * anyone the route reaches) that asks for the password in cleartext or as MD5 gets nothing: the
 * connection fails with a message naming the opt-in.
 *
 * node-postgres asks `password` (when it is a function) for the password on every kind of request
 * and does not say which; its connection emits the request first, and a listener added here
 * runs before the client's own (added at connect), so it notes the kind the function then sees.
 */
export function guardPasswordAuth(
  client: pg.Client,
  options: { legacyPasswordAuth: boolean; where: string },
): pg.Client {
  if (options.legacyPasswordAuth) return client;
  const holder = client as unknown as {
    password: string | null | (() => Promise<string | undefined>);
    connection: NodeJS.EventEmitter;
  };
  const password = holder.password;
  let refused: string | undefined;
  for (const request of legacyRequests) {
    holder.connection.on(
      request,
      () =>
        (refused =
          request === 'authenticationMD5Password' ? 'an MD5 hash of the password' : 'the password in cleartext'),
    );
  }
  holder.password = async () => {
    if (refused) {
      throw new OpsError(
        'refused',
        `Postgres at ${options.where} asked for ${refused}; Ops Console sends the password only by SCRAM, so nothing was sent. If this is a legacy server you trust, turn on "Legacy password auth" in the profile (--pg-legacy-password-auth true --allow-downgrade).`,
      );
    }
    return typeof password === 'string' ? password : undefined;
  };
  return client;
}
