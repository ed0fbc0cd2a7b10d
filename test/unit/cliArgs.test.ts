import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { walkArgs } from '../../shared/cliArgs';
import type { ArgSpec } from '../../shared/cliArgs';

const SPEC: ArgSpec = { options: { '--format': 'value', '--download': 'flag', '--verbose': 'flag' }, aliases: { '-v': '--verbose' } };

void describe('walkArgs: how every subcommand reads its arguments', () => {
  it('takes a value after the option or after =, and keeps the order the options came in', () => {
    assert.deepEqual(walkArgs(['--format', 'json', 'a.json', '--format=text', 'b.json'], SPEC), {
      options: [
        { name: '--format', value: 'json' },
        { name: '--format', value: 'text' },
      ],
      files: ['a.json', 'b.json'],
    });
  });

  it('gives a value option that came last with none no value, for the command to name', () => {
    assert.deepEqual(walkArgs(['a.json', '--format'], SPEC), { options: [{ name: '--format' }], files: ['a.json'] });
  });

  it('reads flags and their aliases under the long name', () => {
    assert.deepEqual(walkArgs(['-v', '--download', 'a.json'], SPEC), { options: [{ name: '--verbose' }, { name: '--download' }], files: ['a.json'] });
  });

  it('refuses an unknown option, and a flag given a value', () => {
    assert.deepEqual(walkArgs(['--formatx=json', 'a.json'], SPEC), { error: "unknown option '--formatx=json'" });
    assert.deepEqual(walkArgs(['--download=yes', 'a.json'], SPEC), { error: "unknown option '--download=yes'" });
    assert.deepEqual(walkArgs(['-x'], SPEC), { error: "unknown option '-x'" });
  });

  it('answers help when the walk reaches it, after any options, but not past an error', () => {
    assert.deepEqual(walkArgs(['a.json', '--format', 'json', '-h'], SPEC), { help: true });
    assert.deepEqual(walkArgs(['--bogus', '--help'], SPEC), { error: "unknown option '--bogus'" });
  });

  it('ends the options at --, and reads - as a file', () => {
    assert.deepEqual(walkArgs(['-', '--', '--format', '-v'], SPEC), { options: [], files: ['-', '--format', '-v'] });
  });
});
