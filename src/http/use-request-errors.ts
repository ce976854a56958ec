import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { answerOf } from '../graphql/top-level-errors.js';

/**
 * Answers the RequestErrors that services and the data layer throw as top-level errors with their
 * `extensions.code` (see answerOf). First among the plugins: the metrics, the guest cache and
 * Yoga's masking, which run after it, see the answered errors.
 */
export function useRequestErrors(): Plugin {
  const hooks = {
    onExecuteDone: (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
      handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
        if (!result.errors) return;
        const errors = result.errors.map(answerOf);
        if (errors.some((error, index) => error !== result.errors?.[index])) {
          setResult({ ...result, errors });
        }
      }),
  };
  return { onExecute: () => hooks };
}
