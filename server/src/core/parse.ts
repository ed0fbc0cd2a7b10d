/**
 * The format dispatch of KrakenD's koanf parser: `.yml`/`.yaml` files are YAML, every other
 * file is JSON (see formatOf). Both parsers return the same AST and problem shape.
 */
import { parseJson } from './parseJson';
import type { ParseResult } from './parseJson';
import type * as YamlParser from './parseYaml';
import type { ConfigFormat } from './types';

export type { ParseResult } from './parseJson';

let yamlParser: typeof YamlParser | undefined;

/**
 * The YAML parser, with the `yaml` package under it, is loaded on the first YAML file: checking
 * JSON (the CLI's usual case) never pays for it. In the bundles it is a file of its own,
 * dist/parseYaml.js (esbuild.mjs).
 */
function yaml(): typeof YamlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (yamlParser ??= require('./parseYaml') as typeof YamlParser);
}

/** Parses a configuration text as KrakenD would for the given format. */
export function parseConfig(text: string, format: ConfigFormat): ParseResult {
  return format === 'yaml' ? yaml().parseYaml(text) : parseJson(text);
}
