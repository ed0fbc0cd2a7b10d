/**
 * The rules of `krakend audit` in KrakenD CE 2.13.8 (krakend-audit v0.9.3): id, KrakenD's
 * severity and KrakenD's own sentence, in the binary's order (its output keeps that order).
 */

export type AuditSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** Every severity, as `-s` takes them (its default is all four). */
export const AUDIT_SEVERITIES: readonly AuditSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export interface AuditRule {
  readonly id: string;
  readonly severity: AuditSeverity;
  /** KrakenD's recommendation, word for word. */
  readonly message: string;
}

const rule = (id: string, severity: AuditSeverity, message: string): AuditRule => ({ id, severity, message });

export const AUDIT_RULES: readonly AuditRule[] = [
  rule('1.1.1', 'HIGH', 'Implement more secure alternatives than Basic Auth to protect your data.'),
  rule('1.1.2', 'MEDIUM', 'Implement stateless authorization methods such as JWT to secure your endpoints as opposed to using API keys.'),
  rule('1.2.1', 'HIGH', 'Prioritize using JWT for endpoint authorization to ensure security.'),
  rule('2.1.1', 'HIGH', 'Only allow secure connections (avoid insecure_connections).'),
  rule('2.1.2', 'HIGH', 'Enable TLS or use a terminator in front of KrakenD.'),
  rule('2.1.3', 'CRITICAL', 'TLS is configured but its disable flag prevents from using it.'),
  rule('2.1.7', 'HIGH', 'Enable HTTP security header checks (security/http).'),
  rule('2.1.8', 'HIGH', 'Avoid clear text communication (h2c).'),
  rule('2.1.9', 'LOW', 'Establish secure connections in internal traffic (avoid insecure_connections internally)'),
  rule('2.2.1', 'MEDIUM', 'Hide the version banner in runtime.'),
  rule('2.2.2', 'HIGH', 'Enable CORS.'),
  rule('2.2.3', 'HIGH', 'Avoid passing all input headers to the backend.'),
  rule('2.2.4', 'HIGH', 'Avoid passing all input query strings to the backend.'),
  rule('2.2.5', 'LOW', 'Avoid exposing gRPC server without services declared.'),
  rule('2.3.1', 'MEDIUM', 'Limit the amount of cacheable content.'),
  rule('3.1.1', 'LOW', 'Enable a bot detector.'),
  rule('3.1.2', 'HIGH', 'Implement a rate-limiting strategy and avoid having an All-You-Can-Eat API.'),
  rule('3.1.3', 'HIGH', 'Protect your backends with a circuit breaker.'),
  rule('3.3.1', 'LOW', 'Set timeouts to below 3 seconds for improved performance.'),
  rule('3.3.2', 'MEDIUM', 'Set timeouts to below 5 seconds for improved performance.'),
  rule('3.3.3', 'HIGH', 'Set timeouts to below 30 seconds for improved performance.'),
  rule('3.3.4', 'CRITICAL', 'Set timeouts to below 1 minute for improved performance.'),
  rule('4.1.1', 'MEDIUM', 'Implement a telemetry system for collecting metrics for monitoring and troubleshooting.'),
  rule('4.1.2', 'MEDIUM', 'Give your configuration a name for easy identification in metric tracking.'),
  rule('4.1.3', 'HIGH', 'Avoid duplicating telemetry options to prevent system overload.'),
  rule('4.2.1', 'MEDIUM', 'Implement a telemetry system for tracing for monitoring and troubleshooting.'),
  rule('4.3.1', 'MEDIUM', 'Use the improved logging component for better log parsing.'),
  rule('5.1.1', 'LOW', 'Follow a RESTful endpoint structure for improved readability and maintainability.'),
  rule('5.1.2', 'LOW', 'Disable the /__debug/ endpoint for added security.'),
  rule('5.1.3', 'LOW', 'Disable the /__echo/ endpoint for added security.'),
  rule('5.1.4', 'LOW', 'Declare explicit endpoints instead of using wildcards.'),
  rule('5.1.5', 'MEDIUM', 'Declare explicit endpoints instead of using /__catchall.'),
  rule('5.1.6', 'MEDIUM', 'Avoid using multiple write methods in endpoint definitions.'),
  rule('5.1.7', 'MEDIUM', 'Avoid using sequential proxy.'),
  rule('5.2.1', 'CRITICAL', 'Ensure all endpoints have at least one backend for proper functionality.'),
  rule('5.2.2', 'LOW', 'Benefit from the backend for frontend pattern capabilities.'),
  rule('5.2.3', 'LOW', 'Avoid coupling clients by overusing no-op encoding.'),
  rule('6.1.1', 'LOW', 'Ensure Async Agents do not start sequentially to avoid overloading the system (+10 agents).'),
  rule('7.1.1', 'HIGH', 'Avoid using deprecated plugin virtualhost. Please visit https://www.krakend.io/docs/enterprise/service-settings/virtual-hosts/#upgrading-from-the-old-plugin-before-v24 to upgrade to the new virtualhost.'),
  rule('7.1.2', 'HIGH', 'Avoid using deprecated plugin static-filesystem. Please visit https://www.krakend.io/docs/enterprise/endpoints/serve-static-content/#upgrading-from-the-old-plugin-before-v24 to upgrade to the new static-filesystem.'),
  rule('7.1.3', 'HIGH', 'Avoid using deprecated plugin basic-auth. Please move your configuration to the namespace auth/basic to use the new component. See: https://www.krakend.io/docs/enterprise/authentication/basic-authentication/ .'),
  rule('7.1.4', 'HIGH', 'Avoid using deprecated plugin wildcard. Please visit https://www.krakend.io/docs/enterprise/endpoints/wildcard/#upgrading-from-the-old-wildcard-plugin-before-v23 to upgrade to the new Wildcard.'),
  rule('7.1.5', 'HIGH', 'Avoid using deprecated plugin http-proxy. Please visit https://www.krakend.io/docs/enterprise/backends/http-proxy/#migration-from-old-plugin to upgrade to the new options.'),
  rule('7.1.6', 'HIGH', 'Avoid using deprecated plugin static-filesystem. Please visit https://www.krakend.io/docs/enterprise/endpoints/serve-static-content/#upgrading-from-the-old-plugin-before-v24 to upgrade to the new static-filesystem.'),
  rule('7.1.7', 'HIGH', 'Avoid using deprecated plugin no-redirect. Please visit https://www.krakend.io/docs/enterprise/backends/client-redirect/#migration-from-old-plugin to upgrade to the new options.'),
  rule('7.1.8', 'HIGH', 'Avoid using deprecated plugin content-replacer. Please visit https://www.krakend.io/docs/enterprise/endpoints/content-replacer/#migration-from-old-plugin to upgrade to the new options.'),
  rule('7.1.9', 'HIGH', 'Avoid using deprecated plugin response-schema-validator. Please visit https://www.krakend.io/docs/enterprise/endpoints/response-schema-validator/#migration-from-old-plugin to upgrade to the new options.'),
  rule('7.2.1', 'HIGH', 'Avoid using deprecated component telemetry/ganalytics. Please visit https://www.krakend.io/docs/telemetry/opentelemetry/ to upgrade to OpenTelemetry'),
  rule('7.2.2', 'HIGH', 'Avoid using deprecated component telemetry/instana. Please visit https://www.krakend.io/docs/telemetry/opentelemetry/ to upgrade to OpenTelemetry'),
  rule('7.2.3', 'HIGH', 'Avoid using deprecated component telemetry/opencensus. Please visit https://www.krakend.io/docs/telemetry/opencensus/#transition-from-opencensus to upgrade to OpenTelemetry'),
  rule('7.2.4', 'HIGH', 'Avoid using deprecated component telemetry/influx. Please visit https://www.krakend.io/docs/telemetry/influxdb/ to upgrade to OpenTelemetry'),
  rule('7.3.1', 'MEDIUM', "Avoid using 'private_key' and 'public_key' and use the 'keys' array."),
];

export const AUDIT_RULE_BY_ID: ReadonlyMap<string, AuditRule> = new Map(AUDIT_RULES.map((r) => [r.id, r]));
