/**
 * Which language a KrakenD file is shown in. VS Code picks a language from the file name only, so
 * `krakend.json` opens as a KrakenD configuration even when it is full of `{{ }}`; the client then
 * switches it to a KrakenD Template language. Configurations matching other `krakend.configFiles`
 * patterns and Flexible Configuration partials open as JSON and are moved off it, so VS Code's JSON
 * service never reports on them (CONTRIBUTING, "One voice"). Pure: no `vscode` here.
 */

/** The language id contributed in package.json for `.tmpl` files and switched-to JSON files. */
export const TEMPLATE_LANGUAGE = 'krakend-template';
/** The language id of YAML templates (KrakenD renders them when `FC_OUT` ends in `.yml`/`.yaml`). */
export const YAML_TEMPLATE_LANGUAGE = 'krakend-template-yaml';
/**
 * The language id of KrakenD configurations in JSON (package.json gives it to `krakend*.json`):
 * VS Code's JSON grammar, but not VS Code's JSON language service, which would validate `$schema`
 * a second time (or say it cannot load it). Configurations matching other `krakend.configFiles`
 * patterns open as JSON and are switched to it.
 */
export const CONFIG_LANGUAGE = 'krakend-json';
/** Languages a KrakenD JSON file may open as before we look at it. */
const JSON_LANGUAGES: ReadonlySet<string> = new Set(['json', 'jsonc']);

/**
 * Whether `text` has a template action (`{{`) outside JSON strings, that is, whether it is no
 * longer JSON before rendering. Actions only inside strings (`"{{ .host }}"`) leave the file valid
 * JSON, so it keeps the JSON language and its formatter and outline. An action inside a string is
 * skipped whole, since Go strings inside it have quotes of their own. A string never spans lines.
 */
export function hasActionOutsideJsonString(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' && text[i + 1] === '{') {
      if (!inString) return true;
      const close = text.indexOf('}}', i + 2);
      if (close < 0) return false;
      i = close + 1;
    } else if (inString) {
      if (c === '\\') i++;
      else if (c === '"' || c === '\n') inString = false;
    } else if (c === '"') {
      inString = true;
    }
  }
  return false;
}

/**
 * The template language for each language a config opens as, and whether a text needs it. YAML
 * has no cheap "inside a string" test (plain scalars are unquoted), so any action switches it.
 */
const TEMPLATE_OF: ReadonlyMap<string, { readonly language: string; readonly needs: (text: string) => boolean }> = new Map([
  ['json', { language: TEMPLATE_LANGUAGE, needs: hasActionOutsideJsonString }],
  ['jsonc', { language: TEMPLATE_LANGUAGE, needs: hasActionOutsideJsonString }],
  [CONFIG_LANGUAGE, { language: TEMPLATE_LANGUAGE, needs: hasActionOutsideJsonString }],
  ['yaml', { language: YAML_TEMPLATE_LANGUAGE, needs: (text: string) => text.includes('{{') }],
]);

/** What the chooser needs to know about an open document. */
export interface DocumentFacts {
  readonly uri: string;
  readonly languageId: string;
  /** Whether the document matches `krakend.configFiles` (the language client's selector). */
  readonly isConfigFile: boolean;
  /**
   * Whether the document sits in a Flexible Configuration partials folder. Partials are
   * fragments (`"encoding": "json"`), which VS Code's JSON service would call broken.
   */
  readonly isPartial?: boolean;
  readonly text: () => string;
}

/**
 * Decides, once per opened document, whether to switch it to a template language. A document
 * it switched, and one the user then set back to JSON or YAML, is left alone until it is really closed:
 * a language change reopens the document, and the user's choice must not be undone.
 */
export class TemplateLanguageChooser {
  private readonly decided = new Set<string>();
  /** Documents moved from JSON to {@link CONFIG_LANGUAGE}: a template switch may still follow. */
  private readonly based = new Set<string>();

  /** Called when a document opens or is saved: the language it should switch to now, if any. */
  switchTo(doc: DocumentFacts): string | undefined {
    if (this.decided.has(doc.uri)) return undefined;
    if (!doc.isConfigFile) {
      if (doc.isPartial !== true || !JSON_LANGUAGES.has(doc.languageId)) return undefined;
      this.decided.add(doc.uri);
      return TEMPLATE_LANGUAGE;
    }
    const template = TEMPLATE_OF.get(doc.languageId);
    if (template?.needs(doc.text())) {
      this.decided.add(doc.uri);
      return template.language;
    }
    // Seen once as a configuration: a later JSON is the user's choice, not VS Code's guess.
    const seen = this.based.has(doc.uri);
    this.based.add(doc.uri);
    return JSON_LANGUAGES.has(doc.languageId) && !seen ? CONFIG_LANGUAGE : undefined;
  }

  /** The document was really closed (not reopened by a language change): decide afresh next time. */
  closed(uri: string): void {
    this.decided.delete(uri);
    this.based.delete(uri);
  }
}
