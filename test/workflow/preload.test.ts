// The modules every workflow shares (engine/workflow-preload.ts) are in the bundle's preload step. webpack drops a
// bare require() of a module that declares no side effects, which is what happened to `preloadModules: ['zod']`:
// each workflow then evaluated zod again. The bundle is the one worker.ts builds (test/workflow/bundle.ts).
import { workflowBundle } from './bundle';

jest.setTimeout(120_000);

it('preloads zod through engine/workflow-preload.ts, as the modules the workflows import', async () => {
  const { code } = await workflowBundle();
  const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
  expect(preload).toContain('"./engine/workflow-preload.ts"');
  const module = code.slice(code.indexOf('/***/ "./engine/workflow-preload.ts"'));
  const zodOfPreload = /__webpack_require__\(\/\*! zod \*\/ "([^"]+)"\)/.exec(module)?.[1];
  const zodOfWorkflows = /__webpack_require__\(\/\*! zod \*\/ "([^"]+)"\)/.exec(
    code.slice(code.indexOf('/***/ "./domain/money.ts"')),
  )?.[1];
  expect(zodOfPreload).toBeDefined();
  expect(zodOfPreload).toBe(zodOfWorkflows);
});
