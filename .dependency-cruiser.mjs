// The floors of the house (CONTRIBUTING.md, "Layout"), as dependency-cruiser rules: an import
// only goes down a floor, and a circle is a bug. `npm run lint` runs it over shared/, server/src
// and client/src; test/unit/floors.test.ts breaks every rule on purpose and sees it fail.
//
// A file no rule names (a new helper in client/src/gateway/, say) may import what it likes, as
// long as no circle closes; name its floor here when it has one.

// --- server ---------------------------------------------------------------------------------
const GO = '^server/src/core/go/';
/** The core's own ground: its data types and small pure helpers. */
const CORE_BASE = '^server/src/core/(ast|types|positions|model|hash|glob|luraPaths|ginTree)\\.ts$';
const PARSE = '^server/src/core/(parse|parseJson|parseYaml)\\.ts$';
/** decode, init, routes and the schema lint: each reads the parsed tree. */
const RULES = '^server/src/core/(decode|init|routes)\\.ts$|^server/src/core/schema/';
const CHECK = '^server/src/core/check\\.ts$';
const TEMPLATE = '^server/src/core/template/';
const FLEXIBLE = '^server/src/core/flexible/';
/** The audit reads the parsed and decoded configuration; the check and FC run it. */
const AUDIT = '^server/src/core/audit(/|\\.ts$)';
/** The top of the core: editor intelligence reads everything below it. */
const CORE_TOP = '^server/src/core/intel(/|\\.ts$)';
const NODE = '^server/src/node/';
const LSP = '^server/src/lsp/';
const CLI = '^server/src/cli/';
const ENTRY = '^server/src/server\\.ts$|^server/src/cli/main\\.ts$';

// --- client ---------------------------------------------------------------------------------
const C_PURE = '^client/src/(gateway/(plan|lifecycle|compose|httpFraming|tarball|engine/(context|ssh|errors|paths|podman))|statusBar/view|tryEndpoint/(request|lensView)|templateLanguageChoice)\\.ts$';
/** The adapters: the daemon (docker.ts, the only dockerode importer), health, the proxy, staging. */
const C_ADAPTERS = '^client/src/(gateway/(docker|health|proxy|staging|follow|engine/(nodeFs|sshAuth|sshForward))|tryEndpoint/send)\\.ts$';
const C_STRATEGIES = '^client/src/gateway/strategies/';
const C_CONTROLLER = '^client/src/gateway/controller(\\.ts$|/)';
/** The terminal watch (`node dist/cli.js watch`): the gateway and the check without VS Code. */
const C_TERMINAL = '^client/src/terminal/';
/** ctx.ts owns everything, extension.ts only activates it. */
const C_TOP = '^client/src/(ctx|extension)\\.ts$';
/**
 * The editor glue (the gateway manager, the status bar item, the language client, the command
 * files, which manager.ts registers): what is left of client/src outside gateway/ and terminal/,
 * plus gateway/manager.ts.
 */
const C_GLUE = '^client/src/(?!gateway/(?!manager\\.ts$))(?!terminal/)(?!(ctx|extension|statusBar/view|tryEndpoint/(request|lensView|send)|templateLanguageChoice)\\.ts$)';
const C_BELOW_GLUE = [C_PURE, C_ADAPTERS, C_STRATEGIES, C_CONTROLLER, '^client/src/gateway/(?!manager\\.ts$)'];

/** A rule forbidding imports from `from` to `to`, with an optional pathNot on the `to` side. */
function down(name, comment, from, to, toNot) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to, ...(toNot ? { pathNot: toNot } : {}) } };
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    { name: 'no-circular', comment: 'A circle is a bug: move what both sides need into a file of its own, a floor below.', severity: 'error', from: {}, to: { circular: true } },
    down('shared-is-ground', 'shared/ is the ground floor: it imports nothing of ours.', '^shared/', '^(server|client)/'),
    down('go-is-ground', "core/go is Go's own semantics, on the ground floor: it imports nothing of ours above it.", GO, '^(server/src|client/src)/', GO),
    down('core-is-pure', 'The core never imports the Node adapters, the LSP, the CLI, an entry point or the client.', '^server/src/core/', '^server/src/(node|lsp|cli)/|^server/src/server\\.ts$|^client/'),
    down('core-base-below-parse', "The core's data types and helpers import only each other and core/go.", CORE_BASE, '^server/src/core/', [CORE_BASE, GO]),
    down('parse-below-rules', 'The parsers import only the data types, each other and core/go.', PARSE, '^server/src/core/', [CORE_BASE, PARSE, GO]),
    down('rules-below-check', 'decode, init, routes and the schema lint never import the audit, the check, the template engine, FC or the intelligence.', RULES, [AUDIT, CHECK, TEMPLATE, FLEXIBLE, CORE_TOP]),
    down('rules-not-schema', 'decode, init and routes never reach into the schema lint (what both need lives in core/go or the core base).', '^server/src/core/(decode|init|routes)\\.ts$', '^server/src/core/schema/'),
    down('schema-not-rules', 'The schema lint never imports decode, init or routes.', '^server/src/core/schema/', '^server/src/core/(decode|init|routes)\\.ts$'),
    down('audit-below-check', 'The audit reads the decoded configuration: it never imports the check, the template engine, FC or the intelligence.', AUDIT, [CHECK, TEMPLATE, FLEXIBLE, CORE_TOP]),
    down('check-below-flexible', 'The check never imports the template engine, FC or the intelligence.', CHECK, [TEMPLATE, FLEXIBLE, CORE_TOP]),
    down('template-below-flexible', 'The template engine knows Go and the JSON parser only: not the rules, the audit, the check, FC or the intelligence.', TEMPLATE, [RULES, AUDIT, CHECK, FLEXIBLE, CORE_TOP]),
    down('flexible-below-intel', 'FC never imports the intelligence or the audit.', FLEXIBLE, CORE_TOP),
    down('node-below-lsp-cli', 'The Node adapters never import the LSP, the CLI or an entry point.', NODE, [LSP, CLI, ENTRY]),
    down('lsp-not-cli', 'The LSP and the CLI are two rooms on one floor.', LSP, CLI),
    down('cli-not-lsp', 'The LSP and the CLI are two rooms on one floor.', CLI, LSP),
    { name: 'entry-points-on-top', comment: 'Nothing imports an entry point: it runs on import.', severity: 'error', from: { pathNot: ENTRY }, to: { path: ENTRY } },
    down('server-not-editor-client', 'The server and the CLI run in plain Node: never the editor glue of the client.', '^server/src/', [C_GLUE, C_TOP]),
    down('server-below-cli-not-client', 'Only the CLI (the terminal watch) may use client code.', '^server/src/(core|node|lsp)/|^server/src/server\\.ts$', '^client/'),
    down('terminal-not-editor', 'The terminal watch runs in plain Node: never the editor glue, the LSP or an entry point.', C_TERMINAL, [C_GLUE, C_TOP, LSP, ENTRY]),

    down('client-pure', 'plan, lifecycle and the views are pure: no adapter, strategy, controller or editor glue.', C_PURE, [C_ADAPTERS, C_STRATEGIES, C_CONTROLLER, C_GLUE, C_TERMINAL, C_TOP]),
    down('client-adapters', 'The adapters (docker, health, proxy, staging) never import a strategy, the controller or the editor glue.', C_ADAPTERS, [C_STRATEGIES, C_CONTROLLER, C_GLUE, C_TERMINAL, C_TOP]),
    down('client-strategies', 'A reload strategy never imports the controller or the editor glue.', C_STRATEGIES, [C_CONTROLLER, C_GLUE, C_TERMINAL, C_TOP]),
    down('client-gateway-below-glue', 'The gateway (controller and its helpers) never imports the editor glue or the terminal watch.', '^client/src/gateway/(?!manager\\.ts$)', [C_GLUE, C_TERMINAL, C_TOP]),
    down('client-glue-below-ctx', 'Only extension.ts imports ctx.ts.', C_GLUE, C_TOP),
    down('client-below-glue-not-server', 'The gateway takes verdicts from the language client, not from server code.', C_BELOW_GLUE, '^server/'),
  ],
  options: {
    // Type-only imports count: `import type` across a floor still ties the rooms together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
