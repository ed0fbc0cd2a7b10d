/**
 * Per-resource settings, pulled from the client with workspace/configuration and cached
 * until the client says they changed. Never a mutable global: each document asks for its own.
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import type { FlexibleEnable, ServerSettings, ValidateRun } from '../../../shared/settings';

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<ServerSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly supportsConfiguration: boolean,
  ) {}

  get(uri: string): Promise<ServerSettings> {
    if (!this.supportsConfiguration) return Promise.resolve(DEFAULT_SERVER_SETTINGS);
    let s = this.byUri.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'krakend' })
        .then((raw: unknown) => normalise(raw), () => DEFAULT_SERVER_SETTINGS);
      this.byUri.set(uri, s);
    }
    return s;
  }

  forget(uri?: string): void {
    if (uri === undefined) this.byUri.clear();
    else this.byUri.delete(uri);
  }
}

/** Validates what the client sent; anything malformed falls back to the default. */
export function normalise(raw: unknown): ServerSettings {
  const d = DEFAULT_SERVER_SETTINGS;
  const r = isRecord(raw) ? raw : {};
  const validate = isRecord(r.validate) ? r.validate : {};
  const schema = isRecord(r.schema) ? r.schema : {};
  const run: ValidateRun = validate.run === 'onType' ? 'onType' : 'onSave';
  const fc = isRecord(r.flexibleConfig) ? r.flexibleConfig : {};
  const audit = isRecord(r.audit) ? r.audit : {};
  const enable: FlexibleEnable = fc.enable === 'on' || fc.enable === 'off' ? fc.enable : 'auto';
  const path = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  return {
    validate: { run },
    configFiles: stringArray(r.configFiles) ?? d.configFiles,
    schema: {
      url: typeof schema.url === 'string' ? schema.url.trim() : d.schema.url,
      download: typeof schema.download === 'boolean' ? schema.download : d.schema.download,
      allowedHosts: stringArray(schema.allowedHosts) ?? d.schema.allowedHosts,
    },
    flexibleConfig: { enable, settings: path(fc.settings), partials: path(fc.partials), templates: path(fc.templates), out: path(fc.out) },
    gatewayEnv: stringRecord(isRecord(r.gateway) ? r.gateway.env : undefined),
    audit: {
      enable: typeof audit.enable === 'boolean' ? audit.enable : d.audit.enable,
      severities: stringArray(audit.severities) ?? d.audit.severities,
      ignore: stringArray(audit.ignore) ?? d.audit.ignore,
      ignoreFile: typeof audit.ignoreFile === 'string' ? audit.ignoreFile.trim() : d.audit.ignoreFile,
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

/** The string values of an object (`krakend.gateway.env`); anything else is dropped. */
function stringRecord(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
