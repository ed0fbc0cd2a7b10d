/** One subcommand of the CLI (`node dist/cli.js NAME …`), listed in the table of cli/main.ts. */
export interface Subcommand {
  /** Its usage text: printed for `--help` (with the others') and after a usage error of its own. */
  readonly usage: string;
  /**
   * Runs it with the arguments after its name and resolves to the exit status: 0 all good,
   * 1 problems found, 2 a usage error or a file that cannot be read. Whatever it started must
   * have settled by then: main.ts exits as soon as stdout and stderr are flushed.
   */
  run(args: readonly string[]): Promise<number>;
}
