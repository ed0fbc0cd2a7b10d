/**
 * Writing keys, scalars and small values in the file's own syntax: quoted JSON, or YAML plain
 * scalars where YAML reads them back as the same string. Used by completion and quick fixes.
 */
import type { ConfigFormat } from '../types';

/** A YAML plain scalar that go-yaml reads back as this very string (unless it looks like a number). */
const YAML_PLAIN = /^[A-Za-z0-9_/.][A-Za-z0-9_/.{}-]*$/;
/** Plain words go-yaml (YAML 1.1 rules, as go-yaml v3 reads booleans) would turn into something else. */
const YAML_SPECIAL = /^(true|false|yes|no|on|off|y|n|null|~|\.inf|\.nan)$/i;
const YAML_NUMBER = /^[-+]?(\.?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+)$/;

/** A key or string value as YAML writes it: plain when safe, else double-quoted. */
export function yamlString(s: string): string {
  return YAML_PLAIN.test(s) && !YAML_SPECIAL.test(s) && !YAML_NUMBER.test(s) ? s : JSON.stringify(s);
}

/**
 * A scalar in the file's syntax. `like` is the text it replaces: YAML keeps that text's quote
 * style, so `'get'` becomes `'GET'`, not `GET`.
 */
export function renderScalar(value: string | number | boolean, format: ConfigFormat, like = ''): string {
  if (typeof value !== 'string') return String(value);
  if (format === 'json') return JSON.stringify(value);
  if (like.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (like.startsWith('"')) return JSON.stringify(value);
  return yamlString(value);
}

/** Detects the indent unit a document uses (a tab, or 2 or 4 spaces; 2 when unsure). */
export function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '  ';
  if (m[1]!.startsWith('\t')) return '\t';
  return m[1]!.length >= 4 && m[1]!.length % 4 === 0 ? '    ' : '  ';
}

/** A small value (what quick fixes insert) as JSON, laid out from `indent` with `unit` steps. */
export function jsonValue(value: unknown, indent: string, unit: string): string {
  const text = JSON.stringify(value, null, unit);
  return text.split('\n').join(`\n${indent}`);
}

/**
 * A small value as the lines of a YAML block under a key at `indent`: the text that follows
 * `key:` (a space and a scalar, or a newline and an indented block).
 */
export function yamlValue(value: unknown, indent: string, unit: string): string {
  if (value === null || typeof value !== 'object') return ` ${yamlScalarValue(value)}`;
  const lines = yamlBlock(value, `${indent}${unit}`, unit);
  return lines.length === 0 ? (Array.isArray(value) ? ' []' : ' {}') : `\n${lines.join('\n')}`;
}

function yamlScalarValue(v: unknown): string {
  if (typeof v === 'string') return yamlString(v);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : 'null';
}

function yamlBlock(value: object, indent: string, unit: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
        // `- ` then the first key on the same line, the rest aligned under it.
        const inner = yamlBlock(item, `${indent}  `, unit);
        out.push(`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
      } else {
        out.push(`${indent}-${yamlValue(item, indent, unit)}`);
      }
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) out.push(`${indent}${yamlString(k)}:${yamlValue(v, indent, unit)}`);
  return out;
}
