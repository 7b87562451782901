// The modules every workflow shares (engine/workflow-bundle.ts): evaluated once into the SDK's reusable V8 context,
// deep-frozen, and used by every workflow instead of a copy of its own.
//
// Why a module of ours: the SDK preloads a module by a bare `require()` of it, and zod says it has no side effects
// (its package.json `sideEffects: false`), so webpack dropped `require('zod')` from the bundle and every workflow
// still evaluated zod itself. Using zod here, in a module webpack must run, keeps it in; and it is imported as the
// rest of the code imports it, so webpack resolves it to the very modules the workflows use.
import { z } from 'zod';

// zod sets up its global configuration (the default locale) when the first schema is built: done here, before the
// module is frozen, or each workflow's first schema would try to write into the frozen configuration.
if (!z.object({ n: z.number() }).safeParse({ n: 1 }).success) throw new Error('zod did not load');
