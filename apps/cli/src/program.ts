/**
 * The `fanout` command tree (CLI.md): every command, subcommand and flag, with strict value
 * parsing. Actions live in ./commands; this file only declares the surface.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
// Option choices and defaults come from the packages' constants-only entries: building the
// command tree loads neither the guessing server nor the gcd runs.
import { STRATEGIES } from '@fanout/guess-protocol/constants';
import { defaultParallelism, GCD_ALGORITHMS, RUN_MODES } from '@fanout/parallel-gcd/constants';
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { ENGINE_FLAGS } from './commands/life-engine.js';
import {
  age,
  decimal,
  duration,
  generationCount,
  integer,
  nonEmpty,
  port,
  size,
} from './options.js';
import { collect, regex } from './tail-flags.js';

/** The queue `fanout worker` and `fanout gcd --mode queue` use unless told otherwise. */
const DEFAULT_QUEUE = 'fanout';

/** What every command action receives besides its options. */
export interface CommandContext {
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/**
 * grid's built-in pattern names, loaded only for `fanout life --help` (the CLI does not load a
 * package before the command that needs it runs).
 */
function builtinPatternNames(): readonly string[] {
  const grid = createRequire(import.meta.url)('@fanout/grid') as typeof import('@fanout/grid');
  return grid.builtinPatternNames;
}

/** Shared by every command: puts commander's suggestion on the same line as the error. */
function oneLineErrors(command: Command): Command {
  return command.configureOutput({
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    outputError: (text, write) => write(`${text.replace(/\s*\n\s*/g, ' ').trimEnd()}\n`),
  });
}

/**
 * Builds the program. `context` is handed to every action. Each command's module is loaded
 * only when it runs, so `--help` and one command do not pay for the others' packages.
 */
export function createProgram(context: CommandContext): Command {
  const program = oneLineErrors(new Command('fanout'))
    .description(
      'Fan-out/fan-in, pools, coroutines and worker threads as real tools: Life, the guessing game, log tailing, parallel gcd.',
    )
    .version(packageJson.version, '-v, --version', 'print the version number')
    // -V stays accepted (commander's default short flag, which fanout had first).
    .addOption(new Option('-V').hideHelp())
    .on('option:V', () => {
      process.stdout.write(`${packageJson.version}\n`);
      throw new CommanderError(0, 'commander.version', packageJson.version);
    })
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 runtime failure, 2 bad usage or input, 130/143 interrupted.',
    );

  program
    .command('life')
    .description("run Conway's Game of Life (or any B/S rule) on a torus, a plane or unbounded")
    // The names come from grid itself, read only when the help is shown.
    .addHelpText('after', () => `\nBuilt-in patterns: ${builtinPatternNames().join(', ')}.`)
    .addOption(
      new Option(
        '--pattern <file|name>',
        'pattern file (RLE, .cells, Life 1.06, macrocell .mc; by content) or a built-in pattern name (listed below; default seed-demo)',
      )
        .argParser(nonEmpty)
        .conflicts('random'),
    )
    .addOption(
      new Option('--random <density>', 'random soup with this density (0..1)').argParser(
        decimal(0, 1),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'random seed for --random (default 1)').argParser(integer(0)),
    )
    .addOption(
      new Option(
        '--size <HxW>',
        'grid size, height x width (default: the pattern size for seed-demo, else 64x64)',
      ).argParser(size),
    )
    .addOption(
      new Option('--topology <kind>', 'edges of the grid')
        .choices(['torus', 'plane', 'unbounded'])
        .default('torus'),
    )
    .addOption(
      new Option(
        '--generations <n>',
        'number of generations (prints generations 0..n); any size with --engine hashlife: 1e12, 2^40',
      )
        .argParser(generationCount)
        .default('4'),
    )
    .addOption(
      new Option(
        '--step <n>',
        'generations per step: --print columns shows one column a step (default 1 there, else the whole run)',
      ).argParser(generationCount),
    )
    .addOption(
      new Option('--rule <rule>', 'birth/survival rule, e.g. B3/S23 or B36/S23')
        .argParser(nonEmpty)
        .default('B3/S23'),
    )
    .addOption(
      new Option(
        '--engine <name>',
        'cells: one task per cell through an executor (the seed); bitwise: bit-parallel, one thread; workers: bit-parallel on worker threads; hashlife: HashLife on an unbounded plane (the default for --topology unbounded); unbounded: sparse tiles, one generation at a time',
      )
        .choices(ENGINE_FLAGS)
        .default('cells'),
    )
    .addOption(
      new Option(
        '--executor <kind>',
        'executor for --engine cells: pool (default; bounded, like the seed ThreadPoolExecutor), async (gather, like asyncio), inline',
      ).choices(['inline', 'pool', 'async']),
    )
    .addOption(
      new Option('--max-workers <n>', 'pool size for --executor pool (default 10)').argParser(
        integer(1),
      ),
    )
    .addOption(
      new Option(
        '--io-ms <ms>',
        'simulated I/O: an awaited delay in every cell rule call (--engine cells)',
      ).argParser(decimal(0, 60_000)),
    )
    .addOption(
      new Option(
        '--threads <n>',
        `worker threads for --engine workers (default ${Math.min(2, availableParallelism())})`,
      ).argParser(integer(1, 256)),
    )
    .addOption(
      new Option(
        '--print <what>',
        'what to print: every generation side by side, the last, or nothing',
      )
        .choices(['columns', 'final', 'none'])
        .default('final'),
    )
    .addOption(
      new Option(
        '--max-memory-mb <n>',
        'most memory the hashlife node cache may use, in MiB (default 512)',
      ).argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option(
        '--out <file>',
        'write the final generation as RLE, or as macrocell when the name ends in .mc',
      ).argParser(nonEmpty),
    )
    .option('--json', 'print one JSON summary object instead of the grid')
    .action(async (options, command: Command) => {
      const { runLife } = await import('./commands/life.js');
      await runLife(options, command, context);
    });

  const guess = program
    .command('guess')
    .description('the number-guessing game over TCP: server, client and load generator');

  guess
    .command('serve')
    .description("run the guessing server; prints the seed's `Server: N is Decision` lines")
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(
      new Option('--port <port>', 'port (0 picks a free port)').argParser(port).default(1234),
    )
    .addOption(
      new Option('--strategy <name>', 'how the server guesses')
        .choices(STRATEGIES)
        .default('random'),
    )
    .option('--quiet', 'do not print the Server lines')
    .action(async (options) => {
      const { runGuessServe } = await import('./commands/guess.js');
      await runGuessServe(options, context);
    });

  guess
    .command('play')
    .description(
      "play the seed's two sessions (1..5 secret 3, 10..15 secret 12) or one custom session",
    )
    .addOption(new Option('--host <host>', 'server address').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'server port').argParser(port).default(1234))
    .addOption(new Option('--lower <n>', 'lower bound of a custom session').argParser(integer(0)))
    .addOption(new Option('--upper <n>', 'upper bound of a custom session').argParser(integer(0)))
    .addOption(new Option('--secret <n>', 'secret of a custom session').argParser(integer(0)))
    .option('--json', 'print one JSON object with every session and guess')
    .action(async (options) => {
      const { runGuessPlay } = await import('./commands/guess.js');
      await runGuessPlay(options, context);
    });

  guess
    .command('load')
    .description(
      'N concurrent connections each playing G full games to Correct; or, with --rate, new games at a fixed rate (open loop)',
    )
    .addOption(new Option('--host <host>', 'server address').default('127.0.0.1'))
    .addOption(
      new Option('--port <port>', 'server port').argParser(integer(1, 65535)).makeOptionMandatory(),
    )
    .addOption(
      new Option('--sessions <n>', 'concurrent connections (closed loop)').argParser(
        integer(1, 100_000),
      ),
    )
    .addOption(
      new Option('--games <n>', 'games per connection (closed loop)').argParser(integer(1)),
    )
    .addOption(
      new Option('--rate <n>', 'open loop: new games per second, each on a new connection')
        .argParser(decimal(0.001, 100_000))
        .conflicts(['sessions', 'games']),
    )
    .addOption(
      new Option(
        '--duration <time>',
        'open loop: how long to start games (10s, 500ms, 2m; a bare number is seconds)',
      ).argParser(duration),
    )
    .addOption(
      new Option(
        '--max-in-flight <n>',
        'open loop: games playing at once at most; more are counted as failed (default 10000)',
      ).argParser(integer(1, 100_000)),
    )
    .addOption(
      new Option('--lower <n>', 'lower bound of every game').argParser(integer(0)).default(1),
    )
    .addOption(
      new Option('--upper <n>', 'upper bound of every game').argParser(integer(0)).default(100),
    )
    .option('--json', 'print one JSON summary object')
    .action(async (options) => {
      const { runGuessLoad } = await import('./commands/guess.js');
      await runGuessLoad(options, context);
    });

  program
    .command('tail')
    .description('merge log files line-atomically into one output; --follow keeps following')
    .argument('<file...>', "input files, or quoted glob patterns ('logs/*.log') expanded by fanout")
    .addOption(
      new Option('-o, --output <file>', 'output file (default: stdout)').argParser(nonEmpty),
    )
    .option('--follow', 'keep following (rotation, truncation, re-creation) until SIGINT/SIGTERM')
    .addOption(
      new Option('--from <where>', 'where to start reading each input')
        .choices(['start', 'end'])
        .default('start'),
    )
    .addOption(
      new Option('--checkpoint <file>', 'resume from and record offsets in this file').argParser(
        nonEmpty,
      ),
    )
    .option('--prefix', "put 'NAME: ' (the input's path as given) before each line")
    .addOption(
      new Option('--interval <ms>', 'polling interval in milliseconds')
        .argParser(integer(1, 60_000))
        .default(100),
    )
    .option('--json', 'print one JSON summary object (needs -o, not with --follow)')
    .addOption(
      new Option(
        '--format <format>',
        'merged records as they are, or one JSON object each ({file,offset,line})',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--start-over',
      'when the checkpoint does not match the files or the output, start afresh instead of failing',
    )
    .addOption(
      new Option(
        '--exclude <glob>',
        'with glob inputs: leave files whose name matches (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--ignore-older <duration>',
        'with glob inputs: leave files not modified for this long (30s, 10m, 2h, 7d)',
      ).argParser(age),
    )
    .addOption(
      new Option(
        '--compressed <mode>',
        "rotated .gz generations (logrotate's compress): read their content, or skip them",
      )
        .choices(['skip', 'read'])
        .default('skip'),
    )
    .addOption(
      new Option(
        '--multiline <regex>',
        'a line matching REGEX starts a record; the lines after it belong to it (stack traces)',
      ).argParser(regex),
    )
    .addOption(
      new Option(
        '--multiline-max-bytes <n>',
        'longest multi-line record (default 1 MiB)',
      ).argParser(integer(1)),
    )
    .addOption(
      new Option(
        '--multiline-timeout <ms>',
        'with --follow, hand on a record once no line came for this long (default 1000)',
      ).argParser(integer(1, 3_600_000)),
    )
    .action(async (files: string[], options) => {
      const { runTail } = await import('./commands/tail.js');
      await runTail(files, options, context);
    });

  program
    .command('gcd')
    .description(
      "greatest common divisors, serial vs async vs worker threads (the book chapter's benchmark)",
    )
    .addOption(
      new Option(
        '--pairs <file>',
        "pairs file, one 'A B' or 'A,B' per line, read as a stream; '-' for stdin",
      ).argParser(nonEmpty),
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'which runs to do (queue: on fanout worker processes, needs --redis)',
      )
        .choices([...RUN_MODES, 'queue', 'all'])
        .default('all'),
    )
    .addOption(
      new Option(
        '--redis <url>',
        'Redis of the queue run (redis://[:password@]host:port[/db], rediss:// for TLS); with --mode all, adds the queue row',
      ).argParser(nonEmpty),
    )
    .addOption(
      new Option('--queue <name>', 'queue the fanout worker processes serve')
        .argParser(nonEmpty)
        .default(DEFAULT_QUEUE),
    )
    .addOption(
      new Option(
        '--workers <n>',
        `threads computing at once, this one included (default ${defaultParallelism()})`,
      ).argParser(integer(1, 256)),
    )
    .addOption(
      new Option('--algorithm <name>', "naive is the chapter's countdown proxy for heavy CPU work")
        .choices(GCD_ALGORITHMS)
        .default('naive'),
    )
    .addOption(
      new Option('--scale <k>', 'repeat the pairs K times')
        .argParser(integer(1, 1_000_000))
        .default(1),
    )
    .option('--json', 'print one JSON object')
    .action(async (options) => {
      const { runGcd } = await import('./commands/gcd.js');
      await runGcd(options, context);
    });

  program
    .command('worker')
    .description(
      "serve fanout's module tasks (gcd) from a Redis queue on this machine until SIGINT/SIGTERM",
    )
    .addOption(
      new Option(
        '--redis <url>',
        'Redis to take jobs from (redis://[:password@]host:port[/db], rediss:// for TLS)',
      )
        .argParser(nonEmpty)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--queue <name>', 'queue to serve').argParser(nonEmpty).default(DEFAULT_QUEUE),
    )
    .addOption(
      new Option('--threads <n>', 'jobs computed at once (worker threads)')
        .argParser(integer(1, 256))
        .default(availableParallelism()),
    )
    .action(async (options) => {
      const { runWorker } = await import('./commands/worker.js');
      await runWorker(options, context);
    });

  program
    .command('demo')
    .description("walk through the seed's examples end to end: Life, guess, tail, gcd")
    .action(async () => {
      const { runDemo } = await import('./commands/demo.js');
      await runDemo(context);
    });

  return program;
}
