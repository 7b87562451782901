// Loaded by path (DataConverter.failureConverterPath) in the worker and bundled into the workflow sandbox: failure
// messages and stack traces travel as an encoded payload, which engine/payload-codec.ts encrypts, because an error
// may quote the data it failed on. Readers decode them whatever their own setting.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
