// zod 4 gives each schema its methods when it is created, so `.openapi()` exists only on schemas created after this
// runs: every module of the API that declares query or path schemas imports it (through ./schemas or ./openapi) first.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);
