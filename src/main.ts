import { cliConfig, runCli } from './cli/cli-env.js';
import { runGateway } from './gateway.js';

runCli(() => runGateway(cliConfig()));
