import { Command, CommanderError } from 'commander';
import { registerUpscaleCommand } from './upscale-command.js';
import { registerBenchCommand } from './bench-command.js';
import { formatCliError } from './format-cli-error.js';
import { registerTrainDegradationCommand } from './train-degradation-command.js';
import { registerEvalDegradationCommand } from './eval-degradation-command.js';
import { setWebGpuSource } from '../core/index.js';
import { nodeWebGpuSource } from '../node/index.js';

/** Each subcommand lives in its own file and registers itself here (train-degradation and bench join later). */
const COMMANDS: readonly ((program: Command) => void)[] = [
  registerUpscaleCommand,
  registerBenchCommand,
  registerTrainDegradationCommand,
  registerEvalDegradationCommand,
];

/** Builds the `lway` program with every subcommand registered. */
export function createProgram(): Command {
  const program = new Command('lway')
    .description('LWay super-resolution: upscale images with preset models, adapted to each image')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 failure, 2 bad usage). Prints errors without stacks. */
export async function runCli(argv: readonly string[]): Promise<number> {
  // WebGPU in Node comes from Dawn (npm `webgpu`), loaded only when a command asks for webgpu or auto tries it.
  setWebGpuSource(nodeWebGpuSource);
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      return err.exitCode === 0 ? 0 : 2;
    }
    console.error(formatCliError(err));
    return 1;
  }
}
