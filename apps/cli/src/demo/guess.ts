/**
 * Demo item 3: the seed's guessing game. A server on a free local port, the seed's client
 * run against it, and the transcript in the seed's order: each `Guess a number …` line,
 * the server's lines for that session, then the client's results.
 */
import {
  connectGuessClient,
  createGuessServer,
  formatClientResult,
  playChapterGames,
  CHAPTER_SESSIONS,
} from '@fanout/guess-protocol';
import { raceAbort } from '@fanout/internal/abort';

/** Runs item 3, printing the transcript through `print`. */
export async function demoGuess(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  // A session's `Guess …` line is printed when the server starts that session, so the
  // server's last line of one session never trails the next session's header.
  const guessLines: string[] = [];
  let serverSessions = 0;
  let printedGuessLines = 0;
  const flushGuessLines = () => {
    while (printedGuessLines < Math.min(serverSessions, guessLines.length)) {
      print(`${guessLines[printedGuessLines++]}\n`);
    }
  };
  let closed: () => void = () => {};
  const connectionClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = createGuessServer({
    host: '127.0.0.1',
    port: 0,
    onEvent(event) {
      if (event.type === 'session-start' && event.lower <= event.upper) {
        serverSessions++;
        flushGuessLines();
      } else if (event.type === 'report') {
        print(`${event.text}\n`);
      } else if (event.type === 'connection-close') {
        closed();
      }
    },
  });
  try {
    const address = await server.listen();
    print(
      `3. The number-guessing game over TCP, server on ${address.host}:${address.port} (the seed: asyncio server and client)\n`,
    );
    const client = await connectGuessClient({ host: address.host, port: address.port, signal });
    let results: Awaited<ReturnType<typeof playChapterGames>>;
    try {
      results = await raceAbort(
        playChapterGames(client, {
          sessions: CHAPTER_SESSIONS,
          onLine: (line) => {
            guessLines.push(line);
            flushGuessLines();
          },
        }),
        signal,
      );
    } finally {
      await client.close();
    }
    // Every report has reached the server once it has seen the connection close.
    await raceAbort(connectionClosed, signal);
    for (const result of results) print(`${formatClientResult(result.number, result.decision)}\n`);
    print('\n');
  } finally {
    await server.close({ drainTimeoutMs: 200 });
  }
}
