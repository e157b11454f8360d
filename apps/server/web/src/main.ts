import { formatRule, parseMacrocell } from '@fanout/grid';
import { BigMode } from './big-mode.js';
import { installShortcuts } from './keyboard.js';
import { PatternLoadError, builtinChoices, loadBuiltin, parseUserPattern } from './patterns.js';
import { Player } from './player.js';
import { CanvasRenderer } from './renderer.js';
import { installTestHook } from './test-hook.js';
import { type NamedPattern, type World, createWorld } from './world.js';

const SIZES = [64, 128, 256, 512, 1024] as const;
const LARGEST_SIZE = 1024;
const ZOOMS = [1, 2, 4, 8, 16] as const;
const CUSTOM = 'custom';

function element<T extends HTMLElement>(id: string, kind: abstract new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`the page has no <${kind.name}> #${id}`);
  return found;
}

const ui = {
  play: element('play', HTMLButtonElement),
  step: element('step', HTMLButtonElement),
  reset: element('reset', HTMLButtonElement),
  speed: element('speed', HTMLSelectElement),
  pattern: element('pattern', HTMLSelectElement),
  size: element('size', HTMLSelectElement),
  zoom: element('zoom', HTMLSelectElement),
  file: element('file', HTMLInputElement),
  paste: element('paste', HTMLTextAreaElement),
  loadPaste: element('load-paste', HTMLButtonElement),
  error: element('error', HTMLParagraphElement),
  generation: element('generation', HTMLOutputElement),
  population: element('population', HTMLOutputElement),
  timing: element('timing', HTMLOutputElement),
  rule: element('rule', HTMLOutputElement),
  canvas: element('world', HTMLCanvasElement),
  mode: element('mode', HTMLSelectElement),
  torusControls: element('torus-controls', HTMLDivElement),
  bigControls: element('big-controls', HTMLFieldSetElement),
  bigCanvas: element('big-world', HTMLCanvasElement),
  stepSize: element('step-size', HTMLSelectElement),
  scale: element('scale', HTMLOutputElement),
  zoomIn: element('zoom-in', HTMLButtonElement),
  zoomOut: element('zoom-out', HTMLButtonElement),
  fit: element('fit', HTMLButtonElement),
};

const renderer = new CanvasRenderer(ui.canvas);
let world: World = createWorld(Number(ui.size.value), Number(ui.size.value));

let pattern: NamedPattern | undefined;
let custom: NamedPattern | undefined;
// Smoothed cost of one generation plus one draw, shown live.
let msPerGeneration: number | undefined;

const big = new BigMode(
  {
    canvas: ui.bigCanvas,
    stepSize: ui.stepSize,
    scale: ui.scale,
    generation: ui.generation,
    population: ui.population,
    rule: ui.rule,
    timing: ui.timing,
    play: ui.play,
  },
  (message) => showError(message),
);

/** Which world the controls drive: the torus or the unbounded HashLife world. */
let mode: 'torus' | 'unbounded' = 'torus';

function render(): void {
  if (mode === 'unbounded') {
    big.draw();
    return;
  }
  const population = renderer.draw(world);
  ui.generation.value = String(world.generation);
  ui.population.value = String(population);
}

/** Folds one frame's cost (its generations, then one draw) into the live figure. */
function measured(generations: number, stepMs: number, drawMs: number): void {
  const sample = stepMs / generations + drawMs;
  msPerGeneration = msPerGeneration === undefined ? sample : msPerGeneration * 0.9 + sample * 0.1;
  ui.timing.value = `${msPerGeneration.toFixed(2)} ms/gen`;
}

const player = new Player(
  { step: () => world.step(), draw: render, measured },
  {
    request: (callback) => requestAnimationFrame(callback),
    cancel: (id) => cancelAnimationFrame(id),
    now: () => performance.now(),
  },
);

function showError(message: string | undefined): void {
  ui.error.hidden = message === undefined;
  ui.error.textContent = message ?? '';
}

function setPlaying(playing: boolean): void {
  if (mode === 'unbounded') {
    if (playing) big.play();
    else void big.pause();
    return;
  }
  if (playing) player.play();
  else player.pause();
  ui.play.textContent = playing ? 'Pause' : 'Play';
  ui.play.setAttribute('aria-pressed', String(playing));
}

/** The smallest offered size that holds the pattern, else the largest. */
function sizeFor(loaded: NamedPattern, current: number): number {
  const needed = Math.max(loaded.width, loaded.height);
  if (needed <= current) return current;
  return SIZES.find((size) => size >= needed) ?? LARGEST_SIZE;
}

/** Builds a fresh world of the chosen size with the chosen pattern in its middle. */
function rebuild(): void {
  const size = Number(ui.size.value);
  world = createWorld(size, size, pattern);
  renderer.resize(world.width, world.height);
  ui.rule.value = formatRule(world.rule);
  ui.canvas.setAttribute('aria-label', `Life world, ${size} by ${size} cells, on a torus`);
  msPerGeneration = undefined;
  ui.timing.value = '–';
  render();
}

/** Why a pattern cannot be shown, or undefined when it fits the largest world. */
function tooLarge(loaded: NamedPattern): string | undefined {
  if (Math.max(loaded.width, loaded.height) <= LARGEST_SIZE) return undefined;
  return (
    `${loaded.label} is ${loaded.width} × ${loaded.height} cells: ` +
    `larger than the largest world (${LARGEST_SIZE} × ${LARGEST_SIZE})`
  );
}

function usePattern(loaded: NamedPattern | undefined): void {
  pattern = loaded;
  showError(undefined);
  if (mode === 'unbounded') {
    void big.load(loaded ?? [], loaded?.label ?? 'empty world', loaded?.rule);
    return;
  }
  if (loaded !== undefined) ui.size.value = String(sizeFor(loaded, Number(ui.size.value)));
  rebuild();
}

/** Shows the torus or the unbounded world, and the controls that go with it. */
async function setMode(next: 'torus' | 'unbounded'): Promise<void> {
  setPlaying(false);
  await big.pause();
  mode = next;
  ui.mode.value = next;
  const unbounded = next === 'unbounded';
  ui.torusControls.hidden = unbounded;
  ui.bigControls.hidden = !unbounded;
  ui.canvas.hidden = unbounded;
  ui.bigCanvas.hidden = !unbounded;
}

function loadMacrocellText(text: string, source: string): void {
  let tree: ReturnType<typeof parseMacrocell>;
  try {
    tree = parseMacrocell(text, { fileName: source });
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
    return;
  }
  showError(undefined);
  void setMode('unbounded').then(() => big.load(tree, source));
}

function chooseFromPicker(): void {
  const id = ui.pattern.value;
  if (id === CUSTOM) usePattern(custom);
  else if (id === '') usePattern(undefined);
  else usePattern(loadBuiltin(id, Number(ui.size.value)));
}

function loadUserText(text: string, source: string): void {
  if (text.trimStart().startsWith('[M2]')) {
    loadMacrocellText(text, source);
    return;
  }
  let parsed: NamedPattern;
  try {
    parsed = parseUserPattern(text, source);
  } catch (error) {
    if (error instanceof PatternLoadError) {
      showError(error.message);
      return;
    }
    throw error;
  }
  const problem = mode === 'torus' ? tooLarge(parsed) : undefined;
  if (problem !== undefined) {
    showError(`${problem}; the Unbounded big world mode opens it`);
    return;
  }
  custom = parsed;
  let option = ui.pattern.querySelector<HTMLOptionElement>(`option[value="${CUSTOM}"]`);
  if (option === null) {
    option = new Option('', CUSTOM);
    ui.pattern.add(option);
  }
  option.text = `Yours: ${custom.label}`;
  ui.pattern.value = CUSTOM;
  usePattern(custom);
}

function step(): void {
  if (mode === 'unbounded') {
    void big.pause().then(() => big.step());
    return;
  }
  setPlaying(false);
  const start = performance.now();
  world.step();
  const stepped = performance.now();
  render();
  measured(1, stepped - start, performance.now() - stepped);
}

function zoomBy(direction: 1 | -1): void {
  if (mode === 'unbounded') {
    big.zoomBy(direction);
    return;
  }
  const index = ZOOMS.indexOf(Number(ui.zoom.value) as (typeof ZOOMS)[number]);
  const next = ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, index + direction))];
  ui.zoom.value = String(next);
  renderer.setZoom(Number(next));
}

for (const choice of builtinChoices()) ui.pattern.add(new Option(choice.label, choice.id));
ui.pattern.add(new Option('empty (click to draw)', ''));

ui.play.addEventListener('click', () =>
  setPlaying(mode === 'unbounded' ? !big.playing : !player.playing),
);
ui.mode.addEventListener('change', () => {
  const next = ui.mode.value === 'unbounded' ? 'unbounded' : 'torus';
  void setMode(next).then(() => chooseFromPicker());
});
ui.zoomIn.addEventListener('click', () => zoomBy(1));
ui.zoomOut.addEventListener('click', () => zoomBy(-1));
ui.fit.addEventListener('click', () => big.fit());
ui.step.addEventListener('click', step);
ui.reset.addEventListener('click', () => {
  setPlaying(false);
  if (mode === 'unbounded') void big.reset();
  else chooseFromPicker();
});
ui.speed.addEventListener('change', () => {
  player.speed = ui.speed.value === 'max' ? 'max' : Number(ui.speed.value);
});
ui.pattern.addEventListener('change', () => {
  setPlaying(false);
  chooseFromPicker();
});
ui.size.addEventListener('change', () => {
  setPlaying(false);
  // Random soups fill the new size; a fixed pattern is re-centred in it.
  chooseFromPicker();
});
ui.zoom.addEventListener('change', () => renderer.setZoom(Number(ui.zoom.value)));
ui.file.addEventListener('change', async () => {
  const file = ui.file.files?.[0];
  if (file === undefined) return;
  setPlaying(false);
  ui.file.value = '';
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    showError(`${file.name}: could not be read (${String(error)})`);
    return;
  }
  loadUserText(text, file.name);
});
ui.loadPaste.addEventListener('click', () => {
  setPlaying(false);
  loadUserText(ui.paste.value, 'pasted pattern');
});
ui.canvas.addEventListener('click', (event) => {
  const cell = renderer.cellAt(event.clientX, event.clientY);
  if (cell === undefined) return;
  world.toggle(cell.x, cell.y);
  render();
});

installShortcuts(window, {
  togglePlay: () => setPlaying(mode === 'unbounded' ? !big.playing : !player.playing),
  step,
  reset: () => ui.reset.click(),
  zoomIn: () => zoomBy(1),
  zoomOut: () => zoomBy(-1),
});

installTestHook(window, {
  world: () => world,
  mode: () => mode,
  big: () => big,
  render,
  choosePattern(id) {
    ui.pattern.value = id;
    ui.pattern.dispatchEvent(new Event('change'));
  },
  chooseSize(size) {
    ui.size.value = String(size);
    ui.size.dispatchEvent(new Event('change'));
  },
});

renderer.setZoom(Number(ui.zoom.value));
ui.pattern.value = 'gosper-gun';
chooseFromPicker();
