/**
 * The extension's settings: names and defaults in one place. package.json's
 * `contributes.configuration` must list the same keys (a unit test checks that).
 */

export type ValidateRun = 'onSave' | 'onType';

/**
 * Flexible Configuration: `auto` renders a file as a template when it contains `{{` or a
 * conventional `settings/`, `partials/` or `templates/` folder is beside it; `on` always;
 * `off` never (the file is read as plain JSON/YAML, as KrakenD does without FC_ENABLE).
 */
export type FlexibleEnable = 'auto' | 'on' | 'off';

/** The editor's FC_* variables. Paths are relative to the configuration's folder (or absolute). */
export interface FlexibleSettings {
  readonly enable: FlexibleEnable;
  /** FC_SETTINGS. Empty: `settings/` beside the configuration, when it exists. */
  readonly settings: string;
  /** FC_PARTIALS. Empty: `partials/` beside the configuration, when it exists. */
  readonly partials: string;
  /** FC_TEMPLATES. Empty: `templates/` beside the configuration, when it exists. */
  readonly templates: string;
  /** FC_OUT. Only its extension matters to the check: `.yml`/`.yaml` parse the output as YAML. */
  readonly out: string;
}

/** `krakend audit`'s recommendations in the editor. */
export interface AuditSettings {
  readonly enable: boolean;
  /** As `-s`: CRITICAL, HIGH, MEDIUM, LOW. Empty: all. */
  readonly severities: readonly string[];
  /** As `-i`: rule ids. */
  readonly ignore: readonly string[];
  /** As `-I`, relative to the configuration's folder; read when it exists. */
  readonly ignoreFile: string;
}

/** Settings read by the language server (section `krakend`). */
export interface ServerSettings {
  readonly validate: { readonly run: ValidateRun };
  readonly configFiles: readonly string[];
  readonly schema: {
    /** A schema URL or absolute path that overrides `$schema`. Empty: use `$schema`. */
    readonly url: string;
    /** Download official schemas; when false only the cache and the bundled schema are used. */
    readonly download: boolean;
    readonly allowedHosts: readonly string[];
  };
  readonly flexibleConfig: FlexibleSettings;
  /**
   * `krakend.gateway.env`, read by the server too: a template's `env "X"` sees what the gateway
   * container will see, never the language server's own environment.
   */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly audit: AuditSettings;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  validate: { run: 'onSave' },
  configFiles: ['**/krakend*.json', '**/krakend*.{yml,yaml}', '**/krakend*.tmpl'],
  schema: { url: '', download: true, allowedHosts: ['www.krakend.io'] },
  flexibleConfig: { enable: 'auto', settings: '', partials: '', templates: '', out: '' },
  gatewayEnv: {},
  audit: { enable: true, severities: [], ignore: [], ignoreFile: '.krakend-audit-ignore' },
};

export type GatewayNetwork = 'bridge' | 'host';
export type OnDeactivate = 'stop' | 'keep';
/**
 * How a valid save reaches the gateway. `restart`: the container is restarted gracefully (in-flight
 * requests finish, new connections are refused until KrakenD listens again). `blue-green`: a second
 * container starts with the new config behind a loopback proxy that owns the port, and new requests
 * switch to it once it is healthy.
 */
export type ReloadMode = 'restart' | 'blue-green';
/**
 * Which valid saves reload the gateway. `save`: saves the user makes (Ctrl+S, Save All…); an
 * auto-save after a delay or on focus change is checked but not applied, since half-typed text can
 * be valid without being meant. `everySave`: any save, auto-saves included.
 */
export type ReloadOn = 'save' | 'everySave';

/** Settings read by the gateway controller (client side). */
export interface GatewaySettings {
  /** Empty: `krakend:<minor of $schema>` or `krakend:latest`. */
  readonly image: string;
  readonly port: number;
  readonly hostIp: string;
  readonly network: GatewayNetwork;
  readonly env: Readonly<Record<string, string>>;
  /** Seconds KrakenD may take to drain in-flight requests on a restart. */
  readonly gracePeriod: number;
  /** Seconds to wait for the health endpoint after a (re)start. */
  readonly healthTimeout: number;
  readonly onDeactivate: OnDeactivate;
  /** Restarts after unexpected exits before the controller gives up. */
  readonly maxCrashRestarts: number;
  /** Empty: DOCKER_HOST, then the platform default socket. */
  readonly dockerHost: string;
  readonly reload: ReloadMode;
  readonly reloadOn: ReloadOn;
}

export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = {
  image: '',
  port: 8080,
  hostIp: '127.0.0.1',
  network: 'bridge',
  env: {},
  gracePeriod: 10,
  healthTimeout: 30,
  onDeactivate: 'stop',
  maxCrashRestarts: 3,
  dockerHost: '',
  reload: 'blue-green',
  reloadOn: 'save',
};
