// How the workflow bundle is built, in one place for worker.ts and the tests' prebuilt bundle
// (test/workflow/bundle.ts). zod is preloaded, through engine/workflow-preload.ts: the SDK evaluates it once into the
// reusable V8 context and every workflow shares that module (deep-frozen) instead of evaluating its own copy. Only
// zod's code is shared: a workflow builds the schemas it validates with itself, on first use (engine/definition.ts
// lazyTaskSchemas), since zod writes into a schema at its first parse (README, "Worker memory": preloading the schemas
// too broke validation).
export const PRELOADED_MODULES: string[] = [require.resolve('./workflow-preload')];
