/**
 * When a KrakenD JSON file is really a Flexible Configuration template. VS Code picks a language
 * from the file name only, so `krakend.json` opens as JSON even when it is full of `{{ }}`; the
 * client then switches it to the KrakenD Template language. Pure: no `vscode` here.
 */

/** The language id contributed in package.json for `.tmpl` files and switched-to JSON files. */
export const TEMPLATE_LANGUAGE = 'krakend-template';

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

/** What the chooser needs to know about an open document. */
export interface DocumentFacts {
  readonly uri: string;
  readonly languageId: string;
  /** Whether the document matches `krakend.configFiles` (the language client's selector). */
  readonly isConfigFile: boolean;
  readonly text: () => string;
}

/**
 * Decides, once per opened document, whether to switch it to the template language. A document
 * it switched, and one the user then set back to JSON, is left alone until it is really closed:
 * a language change reopens the document, and the user's choice must not be undone.
 */
export class TemplateLanguageChooser {
  private readonly decided = new Set<string>();

  /** Called when a document opens or is saved: true when it should become a template now. */
  shouldSwitch(doc: DocumentFacts): boolean {
    if (this.decided.has(doc.uri) || !JSON_LANGUAGES.has(doc.languageId) || !doc.isConfigFile) return false;
    if (!hasActionOutsideJsonString(doc.text())) return false;
    this.decided.add(doc.uri);
    return true;
  }

  /** The document was really closed (not reopened by a language change): decide afresh next time. */
  closed(uri: string): void {
    this.decided.delete(uri);
  }
}
