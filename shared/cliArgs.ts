/**
 * How every `krakend-live` subcommand reads its arguments, in one place: `--name value` and
 * `--name=value` for an option that takes a value, bare flags, `-h`/`--help`, `--` ending the
 * options, `-` as a file, and an unknown option as an error. Each subcommand then gives meaning to
 * the options it got, in the order they came.
 */

/** What an option takes: a value, or nothing (a flag). */
export type OptionKind = 'value' | 'flag';

export interface ArgSpec {
  /** Every option by its long name (`--format`). */
  readonly options: Readonly<Record<string, OptionKind>>;
  /** Short spellings, by the long name they stand for (`-v` → `--verbose`). */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** One option as given, under its long name; `value` is undefined when a value option came last with none. */
export interface GivenOption {
  readonly name: string;
  readonly value?: string;
}

export type WalkedArgs =
  | { readonly help: true }
  | { readonly error: string }
  | { readonly options: readonly GivenOption[]; readonly files: readonly string[] };

/** Splits `argv` by `spec`, left to right: `--help` answers when the walk reaches it, unless an error came first. */
export function walkArgs(argv: readonly string[], spec: ArgSpec): WalkedArgs {
  const options: GivenOption[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { help: true };
    if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const written = eq > 0 ? a.slice(0, eq) : a;
    const name = spec.aliases?.[written] ?? written;
    const kind = spec.options[name];
    if (kind === undefined || (kind === 'flag' && eq > 0)) return { error: `unknown option '${a}'` };
    if (kind === 'flag') options.push({ name });
    else {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      options.push(value === undefined ? { name } : { name, value });
    }
  }
  return { options, files };
}
