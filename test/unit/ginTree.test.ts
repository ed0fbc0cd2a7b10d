import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GinEngine, GinTree } from '../../server/src/core/ginTree';
import type { GinPanic } from '../../server/src/core/ginTree';
import { ginJoinPath } from '../../server/src/core/luraPaths';
import { readJsonl } from './support/modelBuilder';

const ANY = ['GET', 'POST', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE'];

/** Registers paths in one tree, in order; returns the first panic and its index. */
function first(...paths: string[]): { at: number; panic: GinPanic } | undefined {
  const tree = new GinTree();
  for (const [at, p] of paths.entries()) {
    const panic = tree.add(p);
    if (panic) return { at, panic };
  }
  return undefined;
}

function assertPanics(paths: string[], kind: GinPanic['kind'], message: string): void {
  const r = first(...paths);
  assert.ok(r, `expected a panic for ${JSON.stringify(paths)}`);
  assert.equal(r.at, paths.length - 1, 'the last route is the one gin names');
  assert.equal(r.panic.kind, kind);
  assert.equal(r.panic.message, message);
}

function assertAllowed(...paths: string[]): void {
  assert.equal(first(...paths), undefined, `gin allows ${JSON.stringify(paths)}`);
}

// --- KRAKEND-BEHAVIOUR.md section 3.2, row by row

void test('same path twice is a duplicate', () => {
  assertPanics(['/foo', '/foo'], 'duplicate', "handlers are already registered for path '/foo'");
  assertPanics(['/foo/:id', '/foo/:id'], 'duplicate', "handlers are already registered for path '/foo/:id'");
});

void test('two param names at the same position conflict', () => {
  assertPanics(
    ['/foo/:id', '/foo/:name'],
    'wildcard-conflict',
    "':name' in new path '/foo/:name' conflicts with existing wildcard ':id' in existing prefix '/foo/:id'",
  );
});

void test('a param name that extends another conflicts', () => {
  assertPanics(
    ['/foo/:id', '/foo/:ids'],
    'wildcard-conflict',
    "':ids' in new path '/foo/:ids' conflicts with existing wildcard ':id' in existing prefix '/foo/:id'",
  );
});

void test('nested param conflict names the existing prefix up to the param', () => {
  assertPanics(
    ['/a/:x/b', '/a/:y/c'],
    'wildcard-conflict',
    "':y' in new path '/a/:y/c' conflicts with existing wildcard ':x' in existing prefix '/a/:x'",
  );
});

void test('a trailing * or a bare : is an unnamed wildcard', () => {
  assertPanics(['/a/*'], 'unnamed-wildcard', "wildcards must be named with a non-empty name in path '/a/*'");
  assertPanics(['/a/:'], 'unnamed-wildcard', "wildcards must be named with a non-empty name in path '/a/:'");
});

void test('two wildcards in one segment', () => {
  assertPanics(['/a/:b:c'], 'multiple-wildcards', "only one wildcard per path segment is allowed, has: ':b:c' in path '/a/:b:c'");
});

void test('catch-all against a static route, in both orders', () => {
  assertPanics(
    ['/foo/*any', '/foo/bar'],
    'catch-all-conflict',
    "'/bar' in new path '/foo/bar' conflicts with existing wildcard '/*any' in existing prefix '/foo/*any'",
  );
  assertPanics(
    ['/foo/bar', '/foo/*any'],
    'catch-all-conflict',
    "catch-all wildcard '*any' in new path '/foo/*any' conflicts with existing path segment 'bar' in existing prefix '/foo/bar'",
  );
});

void test('a backslash not followed by a colon is an invalid escape; \\: is a literal colon', () => {
  assertPanics(['/a\\b'], 'invalid-escape', "invalid escape string in path '/a\\b'");
  assertAllowed('/time/12\\:30', '/time/12\\:31');
});

void test('the invalid-escape message names only the part gin was still inserting', () => {
  assertPanics(['/files/x', '/files/a\\b'], 'invalid-escape', "invalid escape string in path 'a\\b'");
});

void test('catch-all placement errors', () => {
  assertPanics(['/x*y'], 'invalid-catch-all', "no / before catch-all in path '/x*y'");
  assertPanics(['/x/*a/b'], 'invalid-catch-all', "catch-all routes are only allowed at the end of the path in path '/x/*a/b'");
});

// --- what gin allows (gin >= 1.8)

void test('static and param siblings, in either order', () => {
  assertAllowed('/foo/:id', '/foo/bar');
  assertAllowed('/foo/bar', '/foo/:id');
});

void test('a param route and a longer route through the same param', () => {
  assertAllowed('/a/:x', '/a/:x/c');
  assertAllowed('/a/:x/c', '/a/:x');
});

void test('a path with and without a trailing slash', () => {
  assertAllowed('/a', '/a/');
});

void test('root param next to a static route', () => {
  assertAllowed('/:a', '/b');
});

void test('mid-segment params', () => {
  assertAllowed('/a/x:id', '/a/y');
});

void test('/__debug/*param next to /__debugger', () => {
  assertAllowed('/__debug/*param', '/__debugger');
});

void test('the same path under different methods never conflicts', () => {
  const engine = new GinEngine();
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) assert.equal(engine.add(m, '/same/:id'), undefined);
  assert.equal(engine.add('POST', '/same/:name')?.kind, 'wildcard-conflict');
});

// --- beyond gin: a failed route leaves the tree as it was

void test('a failed registration is rolled back, so the next routes see the tree without it', () => {
  const tree = new GinTree();
  assert.equal(tree.add('/a/b'), undefined);
  // gin has already hung a ':x' node under /a/ when it trips over the escape after it
  assert.equal(tree.add('/a/:x/b\\q')?.kind, 'invalid-escape');
  // so without the undo, ':y' would now conflict with a ':x' that was never registered
  assert.equal(tree.add('/a/:y'), undefined);
  assert.equal(tree.add('/a/:y/c'), undefined);
});

void test('the conflicting route is skipped but later conflicts still show', () => {
  const engine = new GinEngine();
  const kinds = ['/foo/:id', '/foo/:name', '/foo/:id', '/bar'].map((p) => engine.add('GET', p)?.kind);
  assert.deepEqual(kinds, [undefined, 'wildcard-conflict', 'duplicate', undefined]);
});

void test('non-ASCII paths split on bytes as gin does', () => {
  // é and è share their first UTF-8 byte; gin's catch-all message names that byte's node
  assertPanics(['/é', '/è', '/*any'], 'catch-all-conflict', "catch-all wildcard '*any' in new path '/*any' conflicts with existing path segment '\uFFFD' in existing prefix '/\uFFFD'");
  assertAllowed('/é/x', '/è/x', '/:a/x');
});

// --- recorded answers of the real gin v1.12.0 (test/fixtures/rules/oracle/gin.jsonl)

interface GinCase {
  routes: { method: string; path: string }[];
  panicAt: number;
  panic: string | null;
}

void test('agrees with the real gin v1.12.0 on every recorded route set', () => {
  const cases = readJsonl<GinCase>(join(__dirname, '..', 'fixtures', 'rules', 'oracle', 'gin.jsonl'));
  assert.ok(cases.length > 400, 'the oracle table is there');
  for (const c of cases) {
    const engine = new GinEngine();
    let at = -1;
    let message: string | null = null;
    for (const [i, r] of c.routes.entries()) {
      const path = ginJoinPath(r.path);
      const panics = (r.method === 'ANY' ? ANY : [r.method]).map((m) => engine.add(m, path)).filter((p) => p !== undefined);
      if (panics.length > 0) {
        at = i;
        message = panics[0]!.message;
        break;
      }
    }
    assert.deepEqual({ at, message }, { at: c.panicAt, message: c.panic }, JSON.stringify(c.routes));
  }
});
