/**
 * Node flags for the language server process. A larger young generation: parsing a
 * 5,000-endpoint config allocates millions of small nodes, and with Node's default
 * semi-space most of that parse is spent scavenging (docs/benchmarks.md). V8 reads the flag
 * only from the command line. Kept apart from languageClient.ts so the benchmark can start
 * the server the same way without importing vscode.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
