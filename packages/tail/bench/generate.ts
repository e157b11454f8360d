import { makeInputs } from './data.js';

// Run as a child process so the benchmark's own heap holds none of the generation garbage.
const [dir, files, lines] = process.argv.slice(2);
await makeInputs(dir as string, Number(files), Number(lines));
