/**
 * Builds ServiceModels for rule tests without a parser (every field gets its own synthetic
 * span, so a test can assert that a problem sits on exactly that field), and runs the rules
 * fixtures through the real parser and decoder.
 */
import type { AsyncAgentModel, BackendModel, EndpointModel, Field, ServiceModel } from '../../../server/src/core/model';
import type { Problem, Span } from '../../../server/src/core/types';
import { formatOf } from '../../../server/src/core/types';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../server/src/core/parse';
import { decodeService } from '../../../server/src/core/decode';
import { LineIndex } from '../../../server/src/core/positions';

export interface BackendSpec {
  urlPattern?: string;
  method?: string;
  encoding?: string;
  host?: string[];
  disableHostSanitize?: boolean;
}

export interface EndpointSpec {
  endpoint?: string;
  method?: string;
  outputEncoding?: string;
  /** Defaults to one backend `{}`. */
  backends?: BackendSpec[];
  /** Leave the `backend` key out entirely (only meaningful with `backends: []`). */
  noBackendKey?: boolean;
}

export interface ServiceSpec {
  /** Defaults to 3; `null` leaves it out. */
  version?: number | null;
  listenIp?: string;
  host?: string[];
  outputEncoding?: string;
  debugEndpoint?: boolean;
  echoEndpoint?: boolean;
  disableRest?: boolean;
  healthPath?: string;
  disableHealth?: boolean;
  endpoints?: EndpointSpec[];
  asyncAgents?: { name?: string; backends: BackendSpec[] }[];
}

/** Builds a model; spans are unique per builder call, in creation order. */
export function buildModel(spec: ServiceSpec): ServiceModel {
  let next = 10;
  const span = (length = 5): Span => {
    const s = { offset: next, length };
    next += length + 1;
    return s;
  };
  const field = <T>(value: T): Field<T> => {
    const keySpan = span();
    return { value, keySpan, span: span() };
  };
  const opt = <T>(value: T | undefined): Field<T> | undefined => (value === undefined ? undefined : field(value));

  const backend = (b: BackendSpec, index: number): BackendModel => ({
    index,
    span: span(),
    urlPattern: opt(b.urlPattern),
    method: opt(b.method),
    encoding: opt(b.encoding),
    host: (b.host ?? []).map((h) => ({ value: h, span: span(), keySpan: span() })),
    disableHostSanitize: opt(b.disableHostSanitize),
  });

  const endpoint = (e: EndpointSpec, index: number): EndpointModel => {
    const objSpan = span();
    const endpointField = opt(e.endpoint);
    const method = opt(e.method);
    const outputEncoding = opt(e.outputEncoding);
    const backendKeySpan = e.noBackendKey ? undefined : span();
    const backends = (e.backends ?? [{}]).map(backend);
    return backendKeySpan
      ? { index, span: objSpan, endpoint: endpointField, method, outputEncoding, backends, backendKeySpan }
      : { index, span: objSpan, endpoint: endpointField, method, outputEncoding, backends };
  };

  const root = { offset: 0, length: 1_000_000 };
  const version = spec.version === null ? undefined : field(spec.version ?? 3);
  const model: ServiceModel = {
    span: root,
    version,
    listenIp: opt(spec.listenIp),
    host: (spec.host ?? []).map((h) => ({ value: h, span: span(), keySpan: span() })),
    outputEncoding: opt(spec.outputEncoding),
    debugEndpoint: opt(spec.debugEndpoint),
    echoEndpoint: opt(spec.echoEndpoint),
    disableRest: opt(spec.disableRest),
    router: { healthPath: opt(spec.healthPath), disableHealth: opt(spec.disableHealth) },
    endpoints: (spec.endpoints ?? []).map(endpoint),
    asyncAgents: (spec.asyncAgents ?? []).map(
      (a, index): AsyncAgentModel => ({ index, span: span(), name: opt(a.name), backends: a.backends.map(backend) }),
    ),
  };
  return model;
}

/** A model with just these endpoints (one backend each unless given). */
export function endpoints(...eps: (string | EndpointSpec)[]): ServiceModel {
  return buildModel({ endpoints: eps.map((e) => (typeof e === 'string' ? { endpoint: e } : e)) });
}

// --- fixture runs: test/fixtures/rules/<name>.json through the real parser and decoder ------


export const RULE_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'rules');

/** Reads a rules fixture (JSON, or YAML by extension) and decodes it, failing the test if parsing or decoding complains. */
export function fixtureModel(name: string): { text: string; model: ServiceModel } {
  const text = readFileSync(join(RULE_FIXTURES, name), 'utf8');
  const parsed = parseConfig(text, formatOf(name));
  assert.deepEqual(parsed.problems, [], `${name} must parse cleanly`);
  const { model, problems } = decodeService(parsed.root);
  assert.deepEqual(problems, [], `${name} must decode cleanly`);
  return { text, model };
}

export interface ExpectedProblem {
  code: string;
  /** The exact source text the problem must cover. */
  at: string;
  /** Which occurrence of `at` (0-based); default 0. */
  nth?: number;
  /** Only the first character of `at` (problems about something missing). */
  headOnly?: boolean;
  /** A substring of the message. */
  msg?: string;
}

/**
 * Asserts that `problems` are exactly the expected ones: same codes, each on the range of its
 * `at` text in the fixture, each message containing `msg`. Order does not matter.
 */
export function assertProblems(text: string, problems: readonly Problem[], expected: readonly ExpectedProblem[]): void {
  const index = new LineIndex(text);
  const fmt = (code: string, offset: number, length: number): string => {
    const r = index.rangeOf({ offset, length });
    return `${code} @${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  };
  const want = expected.map((e) => {
    let offset = -1;
    for (let i = 0; i <= (e.nth ?? 0); i++) {
      offset = text.indexOf(e.at, offset + 1);
      assert.ok(offset >= 0, `fixture text ${JSON.stringify(e.at)} (#${e.nth ?? 0}) not found`);
    }
    return fmt(e.code, offset, e.headOnly ? 1 : e.at.length);
  });
  const got = problems.map((p) => fmt(p.code, p.span.offset, p.span.length));
  assert.deepEqual([...got].sort(), [...want].sort(), `problems: ${JSON.stringify(problems.map((p) => [p.code, p.message]))}`);
  for (const e of expected) {
    if (e.msg === undefined) continue;
    assert.ok(
      problems.some((p) => p.code === e.code && p.message.includes(e.msg!)),
      `no ${e.code} message contains ${JSON.stringify(e.msg)}: ${JSON.stringify(problems.map((p) => p.message))}`,
    );
  }
}

/** Reads a JSON Lines file (the recorded oracle answers). */
export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
