// The console in headless Chromium (puppeteer-core + Debian's chromium).
//   1. log in as eng-li over wss (the shipped websockets listener): the site
//      and bay 1 are listed, without consent
//   2. start live data without consent: the refusal and its reason shown
//   3. consent --to eng-li at the bay: the console shows it; live data for
//      3 s: the chart got points, values plausible; stop
//   4. DTCs with descriptions, in Chinese after switching the language
//   5. broker restart mid-stream: the console says the connection is lost,
//      stops showing the stream (no stale samples), reconnects by itself
// Prints "console_test: N passed, M failed"; exit 1 on a failure.
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const require = createRequire(process.env.NODE_PATH + '/');
const puppeteer = require('puppeteer-core');

const { OBDGW, URL, BROKER } = process.env;
let pass = 0, fail = 0;
const ok = (c, what) => { if (c) { pass++; console.log('ok   ' + what); } else { fail++; console.log('FAIL ' + what); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const obdgw = (...a) => execFileSync(OBDGW, a, { encoding: 'utf8' });

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--ignore-certificate-errors', '--disable-gpu', '--no-first-run'],
});
const errors = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  const outside = [];
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(URL.replace(/index\.html$/, '')) && !u.startsWith('data:') && !u.startsWith('blob:' + new globalThis.URL(URL).origin + '/')) outside.push(u); });
  await page.goto(`${URL}?broker=${encodeURIComponent(BROKER)}&user=eng-li`, { waitUntil: 'load' });
  await page.type('#password', 'lipass');
  await page.click('#connect');
  await page.waitForFunction(() => [...document.querySelectorAll('#bays tr.bay')].some((r) => r.dataset.site === 'ws01' && r.dataset.bay === '1'), { timeout: 15000 });
  const row = await page.$eval('#bays tr.bay', (r) => r.textContent);
  ok(/ws01\s*1\s*idle\s*no/.test(row), `1. logged in as eng-li over wss: bay listed: "${row}"`);
  await page.click('#bays tr.bay');
  await page.click('#live');
  await page.waitForSelector('#refusal', { timeout: 10000 });
  const ref = await page.$eval('#refusal', (e) => e.textContent);
  ok(/refused: the bay has not allowed remote support \(no_consent\)/.test(ref), `2. without consent: "${ref}"`);

  obdgw('consent', '--bay', '1', '--grant', '--minutes', '5', '--to', 'eng-li');
  await page.click('#refresh');
  await page.waitForFunction(() => /yes, [0-9]+ min left/.test(document.querySelector('#bays tr.bay').textContent), { timeout: 10000 });
  ok(true, `3a. consent shown: "${await page.$eval('#bays tr.bay', (r) => r.textContent)}"`);
  await page.$eval('#pids', (e) => { e.value = 'rpm,coolant'; });
  await page.click('#live');
  await page.waitForFunction(() => window.obdgwConsole.points() > 0, { timeout: 10000 });
  await sleep(Number(process.env.STREAM_S || 3) * 1000); // make bench: longer, for the latency figures
  const pts = await page.evaluate(() => window.obdgwConsole.points());
  const chartPts = Number(await page.$eval('#chart', (e) => e.dataset.points));
  const canvas = await page.$('#chart canvas');
  const vals = await page.$eval('#values', (e) => e.textContent);
  const cool = Number((vals.match(/coolant_temp@7E8 (-?[0-9.]+)/) || [])[1]);
  ok(pts >= 20 && chartPts === pts && canvas && cool > -40 && cool < 130 && /rpm@7E8/.test(vals), `3b. streamed 3 s: the chart got ${pts} points (uPlot canvas drawn), shown: ${vals.slice(0, 80)}`);
  const lat = await page.evaluate(() => window.obdgwConsole.state.stream.latency);
  lat.sort((a, b) => a - b);
  console.log(`bench remote: console (headless Chromium, wss): sample read at the bay -> shown: median ${lat[Math.floor(lat.length / 2)]} ms, p99 ${lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]} ms (${lat.length} samples at ${await page.$eval('#rate', (e) => e.value)} rounds/s)`);
  await page.click('#stop');
  await page.waitForFunction(() => /ended/.test(document.querySelector('#livestate').textContent), { timeout: 10000 });
  ok(true, `3c. stopped: "${await page.$eval('#livestate', (e) => e.textContent)}"`);

  await page.click('#dtc');
  await page.waitForFunction(() => (document.querySelector('#result').dataset.codes || '').includes('P0301'), { timeout: 60000 });
  const en = await page.$eval('#result', (e) => e.textContent);
  await page.select('#lang', 'zh');
  await page.click('#dtc');
  await page.waitForFunction(() => /第1缸检测到失火/.test(document.querySelector('#result').textContent), { timeout: 60000 });
  const title = await page.$eval('h1', (e) => e.textContent);
  ok(/Cylinder 1 Misfire Detected/.test(en) && title === 'obdgw 远程诊断控制台', `4. DTCs with descriptions in English, then Chinese (title "${title}")`);
  await page.select('#lang', 'en');
  await page.click('#readiness');
  await page.waitForFunction(() => /Catalyst\s*not complete/.test(document.querySelector('#result').textContent), { timeout: 60000 });
  await page.click('#freeze');
  await page.waitForFunction(() => /freeze frame of P0301/.test(document.querySelector('#result').textContent), { timeout: 60000 });
  const ff = await page.$eval('#result', (e) => e.textContent);
  ok(/Engine coolant temperature\s*87 °C/.test(ff), '4b. readiness (catalyst not complete) and the freeze frame of P0301 (coolant 87 °C) as tables');

  // 5. broker outage mid-stream
  await page.click('#live');
  await page.waitForFunction(() => window.obdgwConsole.state.stream && window.obdgwConsole.state.stream.points > 0, { timeout: 10000 });
  const dir = process.env.BROKER_DIR;
  const pid = readFileSync(dir + '/mosquitto.pid', 'utf8').trim();
  process.kill(Number(pid), 'SIGTERM');
  await page.waitForFunction(() => /connection lost/.test(document.querySelector('#banner').textContent) && !document.querySelector('#banner').hidden, { timeout: 15000 });
  const st = await page.$eval('#livestate', (e) => e.textContent);
  const p0 = await page.evaluate(() => window.obdgwConsole.points());
  const shown = await page.$eval('#values', (e) => e.textContent);
  await sleep(1500);
  const p1 = await page.evaluate(() => window.obdgwConsole.points());
  const m = spawn('mosquitto', ['-c', dir + '/mosquitto.conf'], { detached: true, stdio: 'ignore' });
  m.unref();
  execFileSync('sh', ['-c', `echo ${m.pid} > ${dir}/mosquitto.pid`]);
  await page.waitForFunction(() => document.querySelector('#conn').className.includes('on'), { timeout: 30000 });
  ok(/interrupted/.test(st) && p0 > 0 && p0 === p1 && shown === '',
    `5. broker stopped mid-stream after ${p0} points: "${st}", the values cleared, nothing shown meanwhile; reconnected by itself`);
  ok(errors.length === 0, `6. no page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  ok(outside.length === 0, `7. nothing loaded from outside the console's directory${outside.length ? ': ' + outside.join(' ') : ''}`);
} catch (e) {
  fail++;
  console.log('FAIL ' + (e && e.stack || e));
} finally {
  await browser.close();
  try { obdgw('consent', '--bay', '1', '--revoke'); } catch { /* daemon gone */ }
}
console.log(`console_test: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
