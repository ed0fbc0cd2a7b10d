// Table-driven template tests: each case's expected output or error text was produced by the
// real Go text/template with sprig v3.2.3 and KrakenD's marshal/include (the versions the
// KrakenD 2.13.8 binary is built with), with the clock fixed at 2024-03-05T14:07:09Z and TZ=UTC.
import assert from 'node:assert/strict';
import { render } from '../../../server/src/core/template/render';

export interface TemplateCase {
  readonly name: string;
  readonly tmpl: string;
  /** The settings map; JSON, decoded as Go decodes settings (numbers are float64). */
  readonly data?: unknown;
  /** Extra template files, as FC_TEMPLATES adds them. */
  readonly files?: Readonly<Record<string, string>>;
  readonly out?: string;
  readonly err?: string;
}

/** The environment the expected results were produced in. */
const ENV: Readonly<Record<string, string>> = { HOME: '/root' };
const NOW = new Date(Date.UTC(2024, 2, 5, 14, 7, 9, 123));

export function renderCase(c: TemplateCase): { out?: string; err?: string } {
  const r = render({
    main: { name: 'krakend.tmpl', text: c.tmpl },
    templates: Object.entries(c.files ?? {}).map(([name, text]) => ({ name, text })),
    // A fresh copy per case: templates may mutate data (set, merge), as in Go.
    data: c.data === undefined ? undefined : structuredClone(c.data),
    readPartial: () => undefined,
    env: (n) => ENV[n],
    now: () => NOW,
  });
  return r.ok ? { out: r.output } : { err: r.message };
}

/** Asserts every case renders to Go's output or fails with Go's error text. */
export function assertCases(cases: readonly TemplateCase[]): void {
  for (const c of cases) {
    const got = renderCase(c);
    if (c.err !== undefined) assert.equal(got.err ?? `(no error; output ${JSON.stringify(got.out)})`, c.err, c.name);
    else assert.equal(got.out ?? `(error: ${got.err})`, c.out, c.name);
  }
}
