/**
 * Which schema a document is linted against. KrakenD's own `check` ignores `$schema` and lints
 * against the schema of its binary version; we honour `$schema` because the file says which
 * KrakenD it targets, and fall back to the newest version we know.
 */
import { getProperty } from '../ast';
import type { ValueNode } from '../ast';

/** The newest KrakenD CE minor version whose schema we know about. */
export const LATEST_KNOWN_VERSION = '2.13';

/** The official schema of one KrakenD CE minor version, e.g. `2.13`. */
export function officialSchemaUrl(version: string): string {
  return `https://www.krakend.io/schema/v${version}/krakend.json`;
}

export interface SchemaChoice {
  /** Absolute URL, `file:` URL or absolute path of the schema to use. */
  readonly url: string;
  /** The KrakenD minor version the schema belongs to, when the URL says (`2.13`). */
  readonly version?: string;
  /** Who chose it: the setting, the document's `$schema`, or nobody (the default). */
  readonly source: 'setting' | 'document' | 'default';
}

// krakend.io serves the same files with and without `www.` and over http; the cache and the
// allowlist work on one canonical spelling.
const KRAKEND_SCHEMA = /^https?:\/\/(?:www\.)?krakend\.io\/schema\/(.+)$/i;
const VERSIONED = /^v(2\.\d+)\/krakend\.json$/;
const SHORT_VERSION = /^v?(2\.\d+)$/;

/**
 * Recognises a krakend.io schema URL and returns its canonical form, or undefined when the
 * string is not one (KrakenD ignores `$schema`, so anything else is not ours to follow).
 */
export function canonicalKrakendUrl(raw: string): SchemaChoice | undefined {
  const m = KRAKEND_SCHEMA.exec(raw.trim());
  if (!m) return undefined;
  const rest = m[1]!.replace(/[?#].*$/, '');
  const versioned = VERSIONED.exec(rest);
  if (versioned) return { url: officialSchemaUrl(versioned[1]!), version: versioned[1]!, source: 'document' };
  // `krakend.json` is the moving "latest" alias; `v3.json` is what KrakenD 2.0 to 2.4 linted with.
  if (rest === 'krakend.json' || rest === 'v3.json') return { url: `https://www.krakend.io/schema/${rest}`, source: 'document' };
  return undefined;
}

/**
 * The schema for a document: the override setting when set (a URL, an absolute path, a
 * `file:` URL, or a bare version such as `2.12`), else the document's `$schema` when it is a
 * krakend.io schema URL, else the latest known version.
 */
export function schemaUrlFor(root: ValueNode | undefined, override?: string): SchemaChoice {
  const setting = override?.trim();
  if (setting) {
    const short = SHORT_VERSION.exec(setting);
    if (short) return { url: officialSchemaUrl(short[1]!), version: short[1]!, source: 'setting' };
    const official = canonicalKrakendUrl(setting);
    if (official) return { ...official, source: 'setting' };
    return { url: setting, source: 'setting' };
  }
  if (root?.kind === 'object') {
    const prop = getProperty(root, '$schema');
    if (prop?.value.kind === 'string') {
      const official = canonicalKrakendUrl(prop.value.value);
      if (official) return official;
    }
  }
  return { url: officialSchemaUrl(LATEST_KNOWN_VERSION), version: LATEST_KNOWN_VERSION, source: 'default' };
}
