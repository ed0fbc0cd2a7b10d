/**
 * The contract between generated validator code and the code that loads it (ajvCompile.ts
 * writes it, server/src/precompiled.ts and esbuild.mjs read it). No imports: the main bundles
 * need this without loading Ajv.
 */

/** Bumped when generated code changes what it expects: the options in ajvCompile.ts, the `deprecated` sink. */
export const PRECOMPILED_FORMAT = 1;
