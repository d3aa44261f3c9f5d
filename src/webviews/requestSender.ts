// How the panels send a request: a `RequestSender` turns a request of the model into a stored `ResponseRecord`.
// The extension uses `httpSender` (the HTTP engine of `src/http`); tests and scripts may pass their own.
import type { Collection, Environment, HttpRequest } from '../collections/model';
import type { ResponseRecord } from './responseHistory';

export interface SendContext {
  readonly collection: Collection;
  readonly request: HttpRequest;
  /** the active sub-environment of the collection, if any: its id, or itself (a private environment). */
  readonly environment?: string | Environment;
  /** the collection's vault (`{{ vault.<name> }}`). */
  readonly vault?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** keep what the scripts set (default true); false for a request that is not the working tree's (Review's Try). */
  readonly persist?: boolean;
}

export type RequestSender = (ctx: SendContext) => Promise<ResponseRecord>;
