import pLimit from 'p-limit';
const Old = await import('/tmp/exec-exp/oldpool/dist/core.js');
const New = await import('/work/wt/exec/packages/executors/dist/core.js');
const N = 100_000;
const noop = async () => {};
async function cpu(fn) {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}
const mk = (M) => () => {
  const p = new M.AsyncPool({ maxConcurrency: 8 });
  const a = new Array(N);
  for (let i = 0; i < N; i++) a[i] = p.submit(noop);
  return Promise.all(a);
};
const lim = () => {
  const l = pLimit(8);
  const a = new Array(N);
  for (let i = 0; i < N; i++) a[i] = l(noop);
  return Promise.all(a);
};
const res = { old: [], new: [], plimit: [] };
for (let r = 0; r < 15; r++) {
  res.old.push(await cpu(mk(Old)));
  res.new.push(await cpu(mk(New)));
  res.plimit.push(await cpu(lim));
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(
  'median cpu ms old',
  med(res.old).toFixed(1),
  'new',
  med(res.new).toFixed(1),
  'plimit',
  med(res.plimit).toFixed(1),
);
