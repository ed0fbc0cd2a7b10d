/**
 * lura's `ServiceConfig.Init()` rules (lura at CE 2.13.8's pin), in lura's order, with lura's
 * own messages. Go returns the first error; we keep going wherever the next check does not
 * depend on the failed one, so every bad endpoint, host and url_pattern shows at once.
 */
import type { BackendModel, EndpointModel, Field, ServiceModel } from './model';
import type { Problem, Span } from './types';
import {
  cleanPath,
  compareGo,
  goList,
  inputParams,
  isGoIp,
  isInvalidEndpointPath,
  isSequentialParam,
  outputParams,
  sanitizeHost,
  toRouterPath,
  uniqueOutputs,
} from './luraPaths';

/** The config version lura accepts. */
const CONFIG_VERSION = 3;

/** Runs lura's Init checks over a decoded model and returns every problem found. */
export function checkInit(model: ServiceModel): Problem[] {
  const problems: Problem[] = [];

  // mapstructure leaves a missing version at Go's zero value.
  const version = model.version?.value ?? 0;
  if (version !== CONFIG_VERSION) {
    problems.push({
      code: 'init/version',
      message: `unsupported version: ${version} (want: ${CONFIG_VERSION})`,
      span: model.version?.span ?? head(model.span),
    });
  }

  const ip = model.listenIp;
  if (ip && ip.value !== '' && !isGoIp(ip.value)) {
    problems.push({ code: 'init/listen-ip', message: `invalid ip address ${ip.value}`, span: ip.span });
  }

  checkHosts(model.host, problems);

  for (const agent of model.asyncAgents) {
    for (const backend of agent.backends) checkBackendHosts(backend, problems);
  }

  for (const endpoint of model.endpoints) checkEndpoint(model, endpoint, problems);
  return problems;
}

function checkEndpoint(model: ServiceModel, e: EndpointModel, problems: Problem[]): void {
  const raw = e.endpoint?.value ?? '';
  const path = cleanPath(raw);
  const where = e.endpoint?.span ?? head(e.span);
  if (e.endpoint && !raw.startsWith('/')) {
    problems.push({
      code: 'init/leading-slash',
      message: `The endpoint '${raw}' has no leading slash; KrakenD serves it as '${path}'.`,
      span: where,
    });
  }

  // lura prints the method as written: the GET default is applied only after validation.
  const rawMethod = e.method?.value ?? '';
  if (isInvalidEndpointPath(path)) {
    problems.push({
      code: 'init/endpoint-invalid',
      message: `ignoring the '${rawMethod} ${path}' endpoint, since it is invalid!!!`,
      span: where,
    });
  } else if (e.backends.length === 0) {
    problems.push({
      code: 'init/no-backends',
      data: { missing: ['backend'] },
      message: `ignoring the '${rawMethod} ${path}' endpoint, since it has 0 backends defined!`,
      // With no backend key at all, underline the endpoint object where the schema's "missing
      // property 'backend'" goes, so the two stages' reports of one fault become one.
      span: e.backendKeySpan ?? head(e.span),
    });
    return;
  }

  const inputs = inputParams(path, model.disableRest?.value === true);
  const routerPath = toRouterPath(path, inputs);
  const method = rawMethod === '' ? 'GET' : rawMethod;

  const ownEncoding = nonEmpty(e.outputEncoding);
  const encoding = ownEncoding?.value ?? nonEmpty(model.outputEncoding)?.value ?? 'json';
  if (encoding === 'no-op' && e.backends.length > 1) {
    problems.push({
      code: 'init/noop-backends',
      message: 'can not use NoOp encoding with more than one backends connected to the same endpoint',
      // An inherited no-op is reported on each endpoint, not stacked on the service key.
      span: ownEncoding?.span ?? e.backendKeySpan ?? where,
    });
  }

  const inputSet = new Set(inputs);
  for (const backend of e.backends) {
    checkBackendHosts(backend, problems);
    checkUrlParams(backend, method, routerPath, inputSet, problems);
  }
}

/**
 * lura's quirky param check. It compares the count first, with an off-by-one (see
 * uniqueOutputs), and only then looks for outputs the endpoint does not define.
 */
function checkUrlParams(b: BackendModel, method: string, routerPath: string, inputs: ReadonlySet<string>, problems: Problem[]): void {
  const pattern = cleanPath(b.urlPattern?.value ?? '');
  const { sorted, setSize } = uniqueOutputs(outputParams(pattern));
  if (sorted.length === 0) return;
  const span = b.urlPattern?.span ?? head(b.span);
  if (setSize > inputs.size) {
    problems.push({ code: 'init/params-mismatch', message: `input and output params do not match. ${paramsDetail(method, routerPath, b, inputs, sorted)}`, span });
    return;
  }
  // Go stops at the first undefined param; each one is its own problem here.
  for (const output of sorted) {
    if (isSequentialParam(output) || inputs.has(output)) continue;
    problems.push({ code: 'init/undefined-output-param', message: `undefined output param '${output}'! ${paramsDetail(method, routerPath, b, inputs, sorted)}`, span });
  }
}

/** The tail of lura's params messages; built only for a backend that has a problem. */
function paramsDetail(method: string, routerPath: string, b: BackendModel, inputs: ReadonlySet<string>, sorted: readonly string[]): string {
  return `endpoint: ${method} ${routerPath}, backend: ${b.index}. input: ${goList([...inputs].sort(compareGo))}, output: ${goList(sorted)}`;
}

function checkBackendHosts(b: BackendModel, problems: Problem[]): void {
  // An empty list inherits the (already checked) service hosts.
  if (b.host.length === 0 || b.disableHostSanitize?.value === true) return;
  checkHosts(b.host, problems);
}

function checkHosts(hosts: readonly Field<string>[], problems: Problem[]): void {
  for (const h of hosts) {
    if (sanitizeHost(h.value) === undefined) {
      problems.push({ code: 'init/host', message: `host ${h.value} not valid: invalid host`, span: h.span });
    }
  }
}

function nonEmpty(f: Field<string> | undefined): Field<string> | undefined {
  return f && f.value !== '' ? f : undefined;
}

/** The first character of a node: for problems about something missing from an object. */
export function head(span: Span): Span {
  return { offset: span.offset, length: Math.min(1, span.length) };
}
