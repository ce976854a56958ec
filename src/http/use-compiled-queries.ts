import { useGraphQlJit } from '@envelop/graphql-jit';
import { type ExecutionArgs, getOperationAST } from 'graphql';

/**
 * Runs queries through graphql-jit (compiled once per document, cached with Yoga's parse cache).
 * Mutations keep graphql-js: its strictly serial execution of root fields, each failure settled
 * before the next field starts, is what re-authentication counting relies on.
 */
export function useCompiledQueries() {
  return useGraphQlJit(
    {},
    {
      enableIf: (args: ExecutionArgs) =>
        getOperationAST(args.document, args.operationName ?? undefined)?.operation === 'query',
    },
  );
}
