import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createHashLifeEngine, getBuiltinPattern, parseMacrocell, parseRle } from '@fanout/grid';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// End to end: the built fanout-server (dist/bin.js) serves the built viewer (dist/web) and
// Debian's chromium, driven by playwright-core, plays it. Run `pnpm build` first (turbo's
// test task depends on build).

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const brokenRle = fileURLToPath(new URL('./viewer-fixtures/broken.rle', import.meta.url));
const gridFixtures = new URL(
  '../../../packages/grid/src/engines/hashlife/fixtures/',
  import.meta.url,
);
const gollyGunMc = fileURLToPath(new URL('gosper-gun-gen1000.golly.mc', gridFixtures));
const breederRle = fileURLToPath(new URL('quadratic-growth-2596x1.rle', gridFixtures));
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The page's test hook, as far as these tests use it (see web/src/test-hook.ts). */
interface BigWorldState {
  generation: string;
  population: string;
  zoom: number;
  centreX: number;
  centreY: number;
  stepLog: number;
  busy: boolean;
  x: number;
  y: number;
  pictureSize: number;
  litPixels: number[];
}
interface ViewerHook {
  mode(): 'torus' | 'unbounded';
  bigWorld(): BigWorldState | undefined;
  liveCells(): Array<[number, number]>;
  generation(): number;
  size(): { width: number; height: number };
  measureStepAndDraw(
    size?: number,
    generations?: number,
  ): {
    size: number;
    generations: number;
    msPerGeneration: number;
    stepMs: number;
    drawMs: number;
    worstMs: number;
  };
}
type HookWindow = typeof globalThis & { __fanoutViewer: ViewerHook };

interface StartedServer {
  child: ChildProcess;
  url: string;
  logs: string[];
}

/** Starts `node dist/bin.js` on free ports and resolves once it logs where it listens. */
function startFanoutServer(): Promise<StartedServer> {
  const child = spawn(
    process.execPath,
    [bin, '--host', '127.0.0.1', '--http-port', '0', '--guess-port', '0', '--log-level', 'info'],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fanout-server did not report its port within 15 s:\n${logs.join('\n')}`));
    }, 15_000);
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        logs.push(line);
        const entry = parseJson(line);
        if (entry?.msg === 'listening' && typeof entry.httpPort === 'number') {
          clearTimeout(timer);
          resolve({ child, url: `http://127.0.0.1:${entry.httpPort}/`, logs });
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`fanout-server exited (${code ?? signal}) before listening:\n${logs.join('\n')}`),
      );
    });
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function stopFanoutServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent())?.trim() ?? '';
}

function sortCells(cells: Array<[number, number]>): string[] {
  return cells.map(([x, y]) => `${x},${y}`).sort();
}

describe('Life viewer in headless Chromium, served by fanout-server', () => {
  let server: StartedServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(bin) || !existsSync(new URL('../dist/web/index.html', import.meta.url))) {
      throw new Error('build @fanout/server first: dist/bin.js or dist/web/index.html is missing');
    }
    server = await startFanoutServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.url);
    await page.waitForFunction(() => '__fanoutViewer' in globalThis);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await stopFanoutServer(server.child);
  });

  it('steps a glider one diagonal cell every 4 generations', async () => {
    await page.getByLabel('Pattern').selectOption('glider');
    expect(await text(page, '#generation')).toBe('0');
    expect(await text(page, '#population')).toBe('5');
    const before = await page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.liveCells());
    const { width, height } = await page.evaluate(() =>
      (globalThis as HookWindow).__fanoutViewer.size(),
    );

    const step = page.getByRole('button', { name: 'Step' });
    for (let i = 0; i < 4; i++) await step.click();

    expect(await text(page, '#generation')).toBe('4');
    expect(await text(page, '#population')).toBe('5');
    const after = await page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.liveCells());
    const moved = before.map(([x, y]): [number, number] => [(x + 1) % width, (y + 1) % height]);
    expect(sortCells(after)).toEqual(sortCells(moved));
  });

  it('plays, pauses and steps from the keyboard', async () => {
    await page.getByLabel('Pattern').selectOption('glider');
    // Clicking plain text leaves no control focused, so the keys go to the page (a focused
    // button would take Space for itself, as buttons do).
    await page.locator('h1').click();
    await page.keyboard.press('s');
    await page.keyboard.press('ArrowRight');
    expect(await text(page, '#generation')).toBe('2');

    const play = page.getByRole('button', { name: /^(Play|Pause)$/ });
    await page.keyboard.press(' ');
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(
      () => (globalThis as HookWindow).__fanoutViewer.generation() > 2,
      undefined,
      { timeout: 10_000 },
    );
    await page.keyboard.press(' ');
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    expect(await play.textContent()).toBe('Play');
  });

  it('names the line and column of a malformed uploaded RLE', async () => {
    await page.locator('#import summary').click();
    await page.getByLabel('Upload a file').setInputFiles(brokenRle);
    const error = page.getByRole('alert');
    await expect
      .poll(() => error.textContent(), { timeout: 10_000 })
      .toMatch(/broken\.rle, line 3, column 9: /);
    expect(await error.isVisible()).toBe(true);
  });

  it('loads a pasted RLE and clears the error', async () => {
    await page.getByLabel('…or paste it here').fill('#N pasted\nx = 3, y = 1\n3o!\n');
    await page.getByRole('button', { name: 'Load pasted pattern' }).click();
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await text(page, '#population')).toBe('3');
    expect(await page.getByLabel('Pattern').inputValue()).toBe('custom');
  });

  it('refuses a pasted pattern larger than the largest world and keeps the world shown', async () => {
    await page.getByLabel('…or paste it here').fill('x = 1100, y = 1\n1100o!\n');
    await page.getByRole('button', { name: 'Load pasted pattern' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /1100 × 1 cells: larger than the largest world \(1024 × 1024\)/,
    );
    expect(await text(page, '#population')).toBe('3');
  });

  it('shows a running Gosper gun (screenshot artifact) and measures 512×512 step + draw', async () => {
    await page.getByLabel('Pattern').selectOption('gosper-gun');
    await page.getByLabel('Zoom').selectOption('4');
    await page.locator('h1').click();
    for (let i = 0; i < 120; i++) await page.keyboard.press('s');
    expect(await text(page, '#generation')).toBe('120');
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}viewer.png` });

    const timing = await page.evaluate(() =>
      (globalThis as HookWindow).__fanoutViewer.measureStepAndDraw(512, 200),
    );
    expect(timing.size).toBe(512);
    expect(await text(page, '#generation')).toBe('220');
    await writeFile(`${artifacts}viewer-timing.json`, `${JSON.stringify(timing, null, 2)}\n`);
    console.log(
      `viewer 512x512: ${timing.msPerGeneration.toFixed(3)} ms per generation + draw ` +
        `(step ${timing.stepMs.toFixed(3)} ms, draw ${timing.drawMs.toFixed(3)} ms, ` +
        `worst ${timing.worstMs.toFixed(1)} ms; mean of ${timing.generations} in headless Chromium)`,
    );
  });

  it('changes the world size and zoom, and flips a clicked cell', async () => {
    await page.getByLabel('Pattern').selectOption({ label: 'empty (click to draw)' });
    await page.getByLabel('Size').selectOption('256');
    await page.getByLabel('Zoom').selectOption('2');
    expect(await page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.size())).toEqual({
      width: 256,
      height: 256,
    });
    const canvas = page.locator('#world');
    expect(await canvas.evaluate((element) => element.getBoundingClientRect().width)).toBe(512);
    expect(await text(page, '#population')).toBe('0');

    await canvas.click({ position: { x: 10 * 2 + 1, y: 20 * 2 + 1 } });
    expect(
      await page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.liveCells()),
    ).toEqual([[10, 20]]);
    expect(await text(page, '#population')).toBe('1');
  });

  const bigState = (): Promise<BigWorldState> =>
    page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.bigWorld()!);

  /** Lit pixels of the big-world canvas as drawn (read back from the canvas itself). */
  const canvasLitPixels = (): Promise<number[]> =>
    page.locator('#big-world').evaluate((element) => {
      // Typed by hand: this file is compiled without the DOM library.
      const canvas = element as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const lit: number[] = [];
      // Live pixels are light blue (red 0x7c); empty ones are near black.
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 0x40) lit.push(i / 4);
      return lit;
    });

  async function stepBig(): Promise<void> {
    await page.getByRole('button', { name: 'Step' }).click();
    await page.waitForFunction(
      () => !(globalThis as HookWindow).__fanoutViewer.bigWorld()?.busy,
      undefined,
      { timeout: 15_000 },
    );
  }

  it('big world: steps the Gosper gun 2^k generations a frame, with exact counters', async () => {
    await page.getByLabel('Mode').selectOption('unbounded');
    await page.getByLabel('Pattern').selectOption('gosper-gun');
    await expect.poll(() => text(page, '#generation')).toBe('0');
    expect(await page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.mode())).toBe(
      'unbounded',
    );
    expect(await text(page, '#population')).toBe('36');
    expect(await page.locator('#big-world').isVisible()).toBe(true);
    expect(await page.locator('#world').isVisible()).toBe(false);

    await page.getByLabel('Generations per frame').selectOption('10');
    await stepBig();
    expect(await text(page, '#generation')).toBe('1024');
    await using reference = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
    await reference.step(1024);
    expect(await text(page, '#population')).toBe(String(reference.exactPopulation()));

    await page.getByLabel('Generations per frame').selectOption('40');
    await stepBig();
    await reference.step(2n ** 40n);
    expect(await text(page, '#generation')).toBe(String(1024n + 2n ** 40n));
    expect(await text(page, '#population')).toBe(String(reference.exactPopulation()));
    expect(reference.exactPopulation() > 2n ** 32n).toBe(true);
  });

  it('big world: zoomed out, a pixel is lit exactly when its square holds life', async () => {
    await page.getByRole('button', { name: 'Fit' }).click();
    const state = await bigState();
    // 2^40 generations of gliders: the world is about 2^38 cells across.
    expect(state.zoom).toBeGreaterThan(20);
    await using reference = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
    await reference.step(BigInt(state.generation));
    const expected = reference.occupancy(
      state.x,
      state.y,
      state.pictureSize,
      state.pictureSize,
      state.zoom,
    );
    const expectedLit: number[] = [];
    expected.forEach((lit, i) => {
      if (lit) expectedLit.push(i);
    });
    expect(expectedLit.length).toBeGreaterThan(10);
    expect(await canvasLitPixels()).toEqual(expectedLit);
    expect(state.litPixels).toEqual(expectedLit);
    expect(await text(page, '#scale')).toBe(`1 pixel per 2^${state.zoom} × 2^${state.zoom} cells`);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}viewer-big-world.png` });
  });

  it('big world: pans by dragging and zooms by powers of two', async () => {
    const before = await bigState();
    const box = (await page.locator('#big-world').boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 300, box.y + 250, { steps: 4 });
    await page.mouse.up();
    const after = await bigState();
    const cellsPerPixel = 2 ** before.zoom;
    expect(after.centreX).toBeCloseTo(
      before.centreX - 100 * cellsPerPixel,
      -Math.log10(cellsPerPixel),
    );
    expect(after.centreY).toBeCloseTo(
      before.centreY - 50 * cellsPerPixel,
      -Math.log10(cellsPerPixel),
    );
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect((await bigState()).zoom).toBe(before.zoom - 1);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    expect((await bigState()).zoom).toBe(before.zoom + 1);
  });

  it('big world: plays and pauses, generations going up by the step size', async () => {
    await page.getByLabel('Pattern').selectOption('acorn');
    await page.getByLabel('Generations per frame').selectOption('3');
    const play = page.getByRole('button', { name: /^(Play|Pause)$/ });
    await play.click();
    await page.waitForFunction(
      () => BigInt((globalThis as HookWindow).__fanoutViewer.bigWorld()!.generation) >= 64n,
      undefined,
      { timeout: 15_000 },
    );
    await play.click();
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    const generation = BigInt((await bigState()).generation);
    expect(generation % 8n).toBe(0n);
    await using reference = createHashLifeEngine(getBuiltinPattern('acorn'));
    await reference.step(generation);
    expect((await bigState()).population).toBe(String(reference.exactPopulation()));
  });

  it('big world: opens a macrocell file written by Golly', async () => {
    await page.getByLabel('Mode').selectOption('torus');
    await page.getByLabel('Upload a file').setInputFiles(gollyGunMc);
    await expect
      .poll(() => page.evaluate(() => (globalThis as HookWindow).__fanoutViewer.mode()))
      .toBe('unbounded');
    await expect.poll(() => text(page, '#generation')).toBe('1000');
    expect(await text(page, '#population')).toBe('213');
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    const tree = parseMacrocell(readFileSync(gollyGunMc, 'utf8'));
    await using reference = createHashLifeEngine(tree);
    await page.getByLabel('Generations per frame').selectOption('12');
    await stepBig();
    await reference.step(4096);
    expect(await text(page, '#generation')).toBe('5096');
    expect(await text(page, '#population')).toBe(String(reference.exactPopulation()));
  });

  it('big world: opens an RLE far wider than the largest torus (the 2596x1 breeder)', async () => {
    await page.getByLabel('Upload a file').setInputFiles(breederRle);
    const pattern = parseRle(readFileSync(breederRle, 'utf8'));
    await expect.poll(() => text(page, '#population')).toBe(String(pattern.liveCells.length));
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await text(page, '#generation')).toBe('0');
    expect((await bigState()).zoom).toBeGreaterThan(0);
  });

  it('made no request outside the server and raised no page errors', () => {
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual(
      [],
    );
    expect(pageErrors).toEqual([]);
  });
});
