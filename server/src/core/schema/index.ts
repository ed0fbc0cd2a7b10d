/** The JSON-schema lint: schema choice, compilation (cached), and error mapping. Pure. */
export { LATEST_KNOWN_VERSION, canonicalKrakendUrl, officialSchemaUrl, schemaUrlFor } from './url';
export type { SchemaChoice } from './url';
export { SchemaCompiler, compileSchema, compiledFrom, dialectOf } from './compile';
export type { AjvValidate, CompiledSchema, Dialect, SchemaLoader, ValidationOutcome } from './compile';
export { lint } from './lint';
export { SchemaLinting, bundledSchemaNote } from './prepare';
export type { PreparedSchemaLint, SchemaDocuments, SchemaPolicy, SchemaSource, SchemaSourceOrigin, SchemaSourceResult } from './prepare';
export { closestName, durationSuggestion, editDistance } from './suggest';
export { CE_NAMESPACES, CE_NAMESPACE_NAMES, misplacedGuess, namespaceHint, namespaceInfo, scopeOfExtraConfig } from './namespaces';
export type { NamespaceInfo, NamespaceScope } from './namespaces';
