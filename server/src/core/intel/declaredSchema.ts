/**
 * The document's `$schema`, without parsing a large file: choosing a schema reads nothing else
 * (schema/url.ts schemaUrlFor), and completion must not wait for a 0.2 s YAML parse to know it.
 */
import { getProperty } from '../ast';
import type { ObjectNode, ValueNode } from '../ast';
import type { ConfigFormat } from '../types';

/** A top-level `$schema:` line, its key quoted or not, with an optional comment after the value. */
const YAML_SCHEMA = /^(?:\$schema|"\$schema"|'\$schema')[ \t]*:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$/m;

/**
 * A root object holding only the document's `$schema` (when it has one), for the schema
 * resolver. JSON reads it from the tolerant tree; YAML from its top-level line.
 */
export function schemaOnlyRoot(text: string, format: ConfigFormat, jsonTree?: ValueNode): ObjectNode {
  let value: string | undefined;
  if (format === 'json') {
    const p = jsonTree?.kind === 'object' ? getProperty(jsonTree, '$schema') : undefined;
    if (p?.value.kind === 'string') value = p.value.value;
  } else {
    const m = YAML_SCHEMA.exec(text);
    if (m) value = unquote(m[1]!);
  }
  if (value === undefined) return { kind: 'object', offset: 0, length: 0, properties: [] };
  const key = { kind: 'string' as const, offset: 0, length: 0, value: '$schema' };
  return { kind: 'object', offset: 0, length: 0, properties: [{ kind: 'property', offset: 0, length: 0, key, value: { kind: 'string', offset: 0, length: 0, value } }] };
}

function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}
