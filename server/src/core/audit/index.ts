/**
 * `krakend audit` in the core: the rules of KrakenD CE 2.13.8 run on the decoded model, each
 * finding placed where it applies, as `audit/<rule>` problems. Text in, data out.
 */
import type { Code } from '../../../../shared/codes';
import type { ValueNode } from '../ast';
import { decodeService } from '../decode';
import type { ServiceModel } from '../model';
import { parseConfig } from '../parse';
import type { ConfigFormat, Problem, Span } from '../types';
import { evaluate } from './evaluate';
import type { AuditFinding } from './evaluate';
import { AUDIT_RULE_BY_ID, AUDIT_RULES, AUDIT_SEVERITIES } from './rules';
import type { AuditRule, AuditSeverity } from './rules';

export { AUDIT_RULES, AUDIT_RULE_BY_ID, AUDIT_SEVERITIES, evaluate };
export type { AuditFinding, AuditRule, AuditSeverity };
export { serviceSpan } from './evaluate';
export type { AuditAddition } from './evaluate';

/** What `-s`, `-i` and `-I` choose. */
export interface AuditOptions {
  /** Severities to report (`-s`); empty or absent: all four. Case-insensitive, unlike `-s`. */
  readonly severities?: readonly string[];
  /** Rule ids not to report (`-i` and the lines of `-I`). */
  readonly ignore?: readonly string[];
}

/** The rules the options leave in, in the binary's order. */
export function selectedRules(options: AuditOptions = {}): AuditRule[] {
  const severities = new Set((options.severities ?? []).map((s) => s.trim().toUpperCase()).filter((s) => s !== ''));
  const ignore = new Set((options.ignore ?? []).map((s) => s.trim()).filter((s) => s !== ''));
  return AUDIT_RULES.filter((r) => !ignore.has(r.id) && (severities.size === 0 || severities.has(r.severity)));
}

/** The audit's findings as problems, in the binary's rule order. */
export function auditProblems(model: ServiceModel, root: ValueNode | undefined, options: AuditOptions = {}): Problem[] {
  const keep = new Set(selectedRules(options).map((r) => r.id));
  const problems: Problem[] = [];
  for (const f of evaluate(model, root)) if (keep.has(f.rule)) problems.push(toProblem(f));
  return problems;
}

function toProblem(f: AuditFinding): Problem {
  const rule = AUDIT_RULE_BY_ID.get(f.rule)!;
  const message = `${rule.message} [${rule.severity}; here: ${f.detail}]`;
  const code = `audit/${f.rule}` as Code;
  return f.add ? { code, message, span: f.span, data: { add: f.add } } : { code, message, span: f.span };
}

/**
 * The rule ids `krakend audit` prints for a text (each once, in its order), or undefined when
 * the text does not parse. For the CLI's exit status and the differential test.
 */
export function auditRuleIds(text: string, format: ConfigFormat, options: AuditOptions = {}): string[] | undefined {
  const parsed = parseConfig(text, format);
  if (parsed.problems.some((p) => p.code === 'json/syntax' || p.code === 'yaml/syntax' || p.code.endsWith('/not-object'))) return undefined;
  const { model } = decodeService(parsed.root);
  const found = new Set(evaluate(model, parsed.root).map((f) => f.rule));
  return selectedRules(options).filter((r) => found.has(r.id)).map((r) => r.id);
}

/**
 * The lines of an ignore file (`-I`): one rule id a line. KrakenD removes every space and
 * splits on "\n"; a "\r" is dropped too here, so a file saved with CRLF works.
 */
export function parseIgnoreFile(text: string): string[] {
  return text
    .replace(/ /g, '')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l !== '');
}

/**
 * The hover of the audit findings under the cursor (the findings placed on a range that holds
 * `offset`), or undefined when there are none. Rules the options leave out are not explained.
 */
export function auditHoverAt(root: ValueNode | undefined, offset: number, options: AuditOptions = {}): { markdown: string; span: Span } | undefined {
  if (!root) return undefined;
  const keep = new Set(selectedRules(options).map((r) => r.id));
  const { model } = decodeService(root);
  const here = evaluate(model, root).filter((f) => keep.has(f.rule) && offset >= f.span.offset && offset <= f.span.offset + f.span.length);
  if (here.length === 0) return undefined;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const f of here) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    parts.push(auditHover(f.rule, f.detail)!);
  }
  return { markdown: parts.join('\n\n---\n\n'), span: here[0]!.span };
}

/** The hover text of a finding's rule. */
export function auditHover(ruleId: string, detail?: string): string | undefined {
  const rule = AUDIT_RULE_BY_ID.get(ruleId);
  if (!rule) return undefined;
  return [
    `**krakend audit ${rule.id}** (${rule.severity})`,
    '',
    rule.message,
    ...(detail ? ['', `Found here: ${detail}.`] : []),
    '',
    `KrakenD CE's \`krakend audit\` reports this recommendation for the whole file; KrakenD Live shows it where it applies. It is advice: it never stops the gateway.`,
    '',
    `To silence it, add \`${rule.id}\` to \`.krakend-audit-ignore\` beside the configuration (as \`krakend audit -I\`) or to the \`krakend.audit.ignore\` setting.`,
  ].join('\n');
}
