/**
 * The format dispatch of KrakenD's koanf parser: `.yml`/`.yaml` files are YAML, every other
 * file is JSON (see formatOf). Both parsers return the same AST and problem shape.
 */
import { parseJson } from './parseJson';
import type { ParseResult } from './parseJson';
import { parseYaml } from './parseYaml';
import type { ConfigFormat } from './types';

export type { ParseResult } from './parseJson';

/** Parses a configuration text as KrakenD would for the given format. */
export function parseConfig(text: string, format: ConfigFormat): ParseResult {
  return format === 'yaml' ? parseYaml(text) : parseJson(text);
}
