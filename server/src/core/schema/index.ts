/** The JSON-schema lint: schema choice, compilation (cached), and error mapping. Pure. */
export { LATEST_KNOWN_VERSION, canonicalKrakendUrl, officialSchemaUrl, schemaUrlFor } from './url';
export type { SchemaChoice } from './url';
export { SchemaCompiler, compileSchema, compiledFrom } from './compile';
export type { CompiledSchema, ValidationOutcome } from './compile';
export { dialectOf } from './dialect';
export type { AjvValidate, Dialect, SchemaLoader } from './dialect';
export { lint } from './lint';
export { SchemaLinting, bundledSchemaNote } from './prepare';
export type { PreparedSchemaLint, SchemaDocuments, SchemaPolicy, SchemaSource, SchemaSourceOrigin, SchemaSourceResult } from './prepare';
export { closestName, editDistance } from './suggest';
export { CE_NAMESPACES, CE_NAMESPACE_NAMES, misplacedGuess, namespaceHint, namespaceInfo, scopeOfExtraConfig } from './namespaces';
export type { NamespaceInfo, NamespaceScope } from './namespaces';
