/**
 * The part of KrakenD's ServiceConfig that the Init and router rules need, decoded the way
 * mapstructure decodes it (weakly typed), with the source span of every field kept.
 * Produced by decode.ts; consumed by init.ts and routes.ts.
 */
import type { ObjectNode, StringNode, ValueNode } from './ast';
import type { Span } from './types';

/** A decoded field: its Go value and where it was written. */
export interface Field<T> {
  readonly value: T;
  /** The value as written. */
  readonly span: Span;
  /** The key of the property that holds it (the value span for array items). */
  readonly keySpan: Span;
}

export interface ServiceModel {
  /** The root object. */
  readonly span: Span;
  readonly version?: Field<number>;
  readonly port?: Field<number>;
  readonly listenIp?: Field<string>;
  readonly host: readonly Field<string>[];
  readonly outputEncoding?: Field<string>;
  /** Nanoseconds, as Go's time.Duration. */
  readonly timeout?: Field<number>;
  readonly debugEndpoint?: Field<boolean>;
  readonly echoEndpoint?: Field<boolean>;
  readonly disableRest?: Field<boolean>;
  /** From `extra_config.router` (or its legacy key `github_com/luraproject/lura/router/gin`). */
  readonly router: {
    readonly healthPath?: Field<string>;
    readonly disableHealth?: Field<boolean>;
  };
  readonly endpoints: readonly EndpointModel[];
  readonly asyncAgents: readonly AsyncAgentModel[];
  /** The audit's service flags (krakend-audit reads them from the decoded ServiceConfig). */
  readonly useH2c?: Field<boolean>;
  readonly sequentialStart?: Field<boolean>;
  readonly allowInsecureConnections?: Field<boolean>;
  /** `client_tls.allow_insecure_connections`. */
  readonly clientTlsAllowInsecure?: Field<boolean>;
  /** Present when `tls` decoded to a struct (a non-nil *config.TLS). */
  readonly tls?: TlsModel;
  readonly extraConfig?: ExtraConfigModel;
}

export interface TlsModel {
  /** The `tls` key. */
  readonly keySpan: Span;
  readonly disabled?: Field<boolean>;
  readonly publicKey?: Field<string>;
  readonly privateKey?: Field<string>;
}

/**
 * A decoded `extra_config`, left as parsed: its object, or the merge of a list of objects
 * (weakly typed input), entry by entry. Only the audit reads inside it.
 */
export type ExtraConfigModel = ObjectNode | ReadonlyMap<string, { readonly node: ValueNode; readonly key?: StringNode }>;

export interface EndpointModel {
  readonly index: number;
  /** The endpoint object. */
  readonly span: Span;
  /** Raw, before lura adds a leading slash. */
  readonly endpoint?: Field<string>;
  /** Raw, before lura defaults it to GET. */
  readonly method?: Field<string>;
  readonly outputEncoding?: Field<string>;
  readonly backends: readonly BackendModel[];
  /** The `backend` key when present (its value when that is null), for "0 backends" problems. */
  readonly backendKeySpan?: Span;
  /** Nanoseconds, as written (0 or absent inherits the service's). Set only when present. */
  readonly timeout?: Field<number>;
  readonly inputHeaders?: readonly Field<string>[];
  readonly inputQueryStrings?: readonly Field<string>[];
  readonly extraConfig?: ExtraConfigModel;
}

export interface BackendModel {
  readonly index: number;
  /** The backend object. */
  readonly span: Span;
  readonly urlPattern?: Field<string>;
  readonly method?: Field<string>;
  readonly encoding?: Field<string>;
  readonly host: readonly Field<string>[];
  readonly disableHostSanitize?: Field<boolean>;
  readonly extraConfig?: ExtraConfigModel;
}

export interface AsyncAgentModel {
  readonly index: number;
  readonly span: Span;
  readonly name?: Field<string>;
  readonly backends: readonly BackendModel[];
}
