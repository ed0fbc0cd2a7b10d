/**
 * Editor intelligence, pure: text and offsets in, data out (no LSP types). The LSP layer
 * (server/src/lsp/) turns offsets into ranges and the data into LSP messages.
 */
export { cursorContext, jsonNodeAt } from './context';
export type { CursorContext, PathSegment, Token } from './context';
export { parseJsonLoose, isMissing } from './looseJson';
export { placeOf } from './place';
export type { Place } from './place';
export { SchemaIndex, docLinkIn } from './schemaNav';
export type { SchemaFacts, SchemaView } from './schemaNav';
export { namespaceDocUrl } from './docs';
export { complete } from './completion';
export type { CompletionEntry, CompletionInput, CompletionKind } from './completion';
export { hoverAt } from './hover';
export type { HoverInput, HoverResult } from './hover';
export { quickFixes } from './fixes';
export type { FixInput, QuickFix, TextEditData } from './fixes';
export { documentSymbols, endpointSymbols, fuzzyMatch } from './symbols';
export type { EndpointSymbol, SymbolData, SymbolKind } from './symbols';
export { endpointsOf, ROUTED_METHODS } from './endpoints';
export type { EndpointInfo } from './endpoints';
