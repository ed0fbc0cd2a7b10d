/**
 * The formatter of the KrakenD Configuration language. Those files are not `json` to VS Code
 * (so that its JSON service stays out of the Problems panel), which also takes its formatter
 * away; this one lays JSON out the way VS Code's does: one member per line, `"key": value`,
 * empty objects and arrays kept as `{}` and `[]`. Tokens are copied as written (`1.0` stays
 * `1.0`, escapes stay escapes). Text that is not JSON is left alone: the checker says why.
 * Pure: no `vscode` here.
 */

export interface FormatOptions {
  readonly tabSize: number;
  readonly insertSpaces: boolean;
}

const BLANK = /\s*/y;
// Strings need no control-character check: JSON.parse has accepted the text already.
const TOKEN = /(?:("(?:[^"\\]|\\.)*")|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:]))/y;

/** The tokens of `text`, or undefined when something in it is not a JSON token. */
function tokens(text: string): string[] | undefined {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    BLANK.lastIndex = at;
    BLANK.exec(text);
    at = BLANK.lastIndex;
    if (at >= text.length) return out;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    at = TOKEN.lastIndex;
  }
}

/**
 * `text` laid out, or undefined when it is not one JSON value (nothing to do then). A BOM and
 * whether the text ended with a newline are kept.
 */
export function formatJson(text: string, o: FormatOptions): string | undefined {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  try {
    JSON.parse(body);
  } catch {
    return undefined;
  }
  const toks = tokens(body);
  if (!toks) return undefined;
  const unit = o.insertSpaces ? ' '.repeat(Math.max(1, o.tabSize)) : '\t';
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  let out = '';
  let depth = 0;
  const newline = (): string => eol + unit.repeat(depth);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    if (t === '{' || t === '[') {
      const close = t === '{' ? '}' : ']';
      if (next === close) {
        out += t + close;
        i++;
        continue;
      }
      depth++;
      out += t + newline();
    } else if (t === '}' || t === ']') {
      depth--;
      out += newline() + t;
    } else if (t === ',') {
      out += ',' + newline();
    } else if (t === ':') {
      out += ': ';
    } else {
      out += t;
    }
  }
  return bom + out + (/\r?\n\s*$/.test(body) ? eol : '');
}
