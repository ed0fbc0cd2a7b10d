/** Texts with a `|` marking the cursor, for the editor-intelligence tests. */
import assert from 'node:assert/strict';

/** The text without its `|` and the cursor offset. Exactly one `|` must be there. */
export function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, `exactly one | expected in ${JSON.stringify(marked)}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** Applies non-overlapping edits (offsets in the original text). */
export function applyEdits(text: string, edits: readonly { span: { offset: number; length: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset)) {
    out = out.slice(0, e.span.offset) + e.newText + out.slice(e.span.offset + e.span.length);
  }
  return out;
}
