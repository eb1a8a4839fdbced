// The remote engineer's console (docs/remote.md): MQTT 5 over WebSockets to
// the group broker with the engineer's own login. Requests go to
// dms/v1/<site>/req/<user>/<name> with a response topic under
// obdgw/v1/<site>/resp/<user>/ and correlation data; live samples arrive on
// obdgw/v1/<site>/resp/<user>/bay/<N>/live. The broker's ACL makes the
// login the identity; nothing here names who asks.
import mqtt from 'mqtt';
import uPlot from 'uplot';
import { t, pick, setLang, getLang } from './i18n.js';

const $ = (id) => document.getElementById(id);
const S = {
  client: null, user: '', cid: '', corr: 0, pending: new Map(),
  sites: new Map(), // site -> { online, bays: [...] }
  sel: null,        // { site, bay }
  stream: null,     // { site, bay, sid, topic, t0, paused, keep, series: Map(key -> idx), data, plot, points }
  proposal: null,   // { id, state }
  connected: false,
};
// for tests and the curious: how many points the chart got
window.obdgwConsole = { state: S, points: () => (S.stream ? S.stream.points : S.lastPoints || 0) };

function log(text, cls) {
  const li = document.createElement('li');
  li.textContent = new Date().toLocaleTimeString() + '  ' + text;
  if (cls) li.className = cls;
  $('log').prepend(li);
}

function refusal(what, ans) {
  const msg = `${what}: ${t('refused')}: ${pick(ans.reason)} (${ans.error})`;
  log(msg, 'refused');
  $('result').innerHTML = '';
  const p = document.createElement('p');
  p.className = 'refused';
  p.id = 'refusal';
  p.textContent = msg;
  $('result').append(p);
}

function applyLang() {
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
  setConn(S.connected ? 'on' : S.client ? 'wait' : 'off');
  renderBays();
}

function setConn(kind) {
  const c = $('conn');
  c.className = 'conn ' + kind;
  c.textContent = kind === 'on' ? t('connected') : kind === 'wait' ? t('reconnecting') : t('disconnected');
  const b = $('banner');
  b.hidden = kind !== 'wait';
  b.textContent = kind === 'wait' ? t('reconnecting') : '';
}

// ---- units ----
function convert(v, unit) {
  if ($('units').value !== 'imperial') return [v, unit];
  if (unit === '°C') return [v * 9 / 5 + 32, '°F'];
  if (unit === 'km/h') return [v / 1.609344, 'mph'];
  if (unit === 'km') return [v / 1.609344, 'mi'];
  if (unit === 'kPa') return [v * 0.1450377, 'psi'];
  return [v, unit];
}

// ---- request / response ----
function request(site, name, payload, timeoutMs = 15000) {
  return new Promise((resolve) => {
    if (!S.client || !S.connected) { resolve(null); return; }
    const corr = `k-${++S.corr}`;
    const timer = setTimeout(() => { S.pending.delete(corr); resolve(null); }, timeoutMs);
    S.pending.set(corr, (ans) => { clearTimeout(timer); resolve(ans); });
    S.client.publish(`dms/v1/${site}/req/${S.user}/${name}`, JSON.stringify(payload || {}), {
      qos: 1,
      properties: { responseTopic: `obdgw/v1/${site}/resp/${S.user}/${S.cid}`, correlationData: new TextEncoder().encode(corr) },
    });
  });
}

function onMessage(topic, buf, packet) {
  let m;
  try { m = JSON.parse(new TextDecoder().decode(buf)); } catch { return; }
  const parts = topic.split('/');
  if (parts.length === 4 && parts[3] === 'status') { // obdgw/v1/<site>/status: a gateway's online state
    const site = parts[2];
    const known = S.sites.get(site);
    S.sites.set(site, { online: !!m.online, bays: known ? known.bays : [] });
    if (m.online) refreshSite(site);
    else renderBays();
    return;
  }
  const corr = packet.properties && packet.properties.correlationData;
  if (corr) {
    const key = new TextDecoder().decode(corr);
    const fn = S.pending.get(key);
    if (fn) { S.pending.delete(key); fn(m); return; }
  }
  if (m.request === 'clear.propose' && m.proposal_id && S.proposal && m.proposal_id === S.proposal.id) {
    S.proposal.state = m.state;
    showProposal(m.detail);
    return;
  }
  if (S.stream && topic === S.stream.topic && m.stream_id === S.stream.sid) onLive(m);
}

// ---- sites and bays ----
async function refreshSite(site) {
  const ans = await request(site, 'status', {}, 6000);
  const s = S.sites.get(site) || { online: true, bays: [] };
  s.bays = ans && ans.you ? ans.you.bays : [];
  s.noAnswer = !ans;
  S.sites.set(site, s);
  renderBays();
}

function renderBays() {
  const tb = $('bays').querySelector('tbody');
  if (!tb) return;
  tb.innerHTML = '';
  for (const [site, s] of [...S.sites.entries()].sort()) {
    if (!s.online || s.noAnswer || !s.bays.length) {
      const tr = tb.insertRow();
      tr.insertCell().textContent = site;
      const c = tr.insertCell(); c.colSpan = 3;
      c.textContent = !s.online ? t('offline') : s.noAnswer ? t('no_answer') : '';
      continue;
    }
    for (const b of s.bays) {
      const tr = tb.insertRow();
      tr.className = 'bay' + (S.sel && S.sel.site === site && S.sel.bay === b.bay ? ' sel' : '');
      tr.dataset.site = site; tr.dataset.bay = b.bay;
      tr.insertCell().textContent = site;
      tr.insertCell().textContent = b.bay;
      tr.insertCell().textContent = b.state;
      tr.insertCell().textContent = b.consent ? t('yes_until', Math.ceil((b.seconds_left || 0) / 60)) : t('no');
      tr.addEventListener('click', () => { S.sel = { site, bay: b.bay }; $('sel').textContent = `${site} / ${b.bay}`; renderBays(); });
    }
  }
}

// ---- live data ----
function newPlot(keys) {
  $('chart').innerHTML = '';
  const series = [{ label: 's' }, ...keys.map((k, i) => ({ label: k, stroke: ['#c33', '#36c', '#393', '#c90', '#939', '#399'][i % 6], scale: 'y' + (i % 2) }))];
  const opts = {
    width: Math.max(400, $('chart').clientWidth || 700), height: 250, series,
    scales: { x: { time: false } },
    axes: [{}, { scale: 'y0' }, { scale: 'y1', side: 1, grid: { show: false } }],
  };
  return new uPlot(opts, [[], ...keys.map(() => [])], $('chart'));
}

function onLive(m) {
  const st = S.stream;
  if (m.schema === 'obdgw.dms.live_end') {
    $('livestate').textContent = `${t('ended')}: ${pick(m.text)}`;
    log(`live ${st.site}/${st.bay}: ${t('ended')}: ${pick(m.text)} (${m.reason})`, m.reason === 'stopped' || m.reason === 'done' ? 'ok' : 'refused');
    endStream();
    return;
  }
  if (st.paused || !S.connected) return; // paused or offline: nothing kept, nothing shown late
  const now = Date.now();
  const vals = {};
  for (const s of m.samples || []) {
    const key = `${s.key}${s.field !== s.key && s.field !== 'value' ? '.' + s.field : ''}@${s.ecu}`;
    const [v, unit] = convert(s.value, s.unit);
    vals[key] = v;
    $('values').dataset[key.replace(/[^a-z0-9]/gi, '_')] = v;
    st.last.set(key, `${key} ${v.toFixed(1)} ${unit}`);
    st.latency.push(now - s.t_ms);
  }
  let grow = false;
  for (const k of Object.keys(vals)) if (!st.series.has(k)) { st.series.set(k, st.series.size); grow = true; }
  if (grow || !st.plot) {
    const keys = [...st.series.keys()];
    const old = st.data;
    st.data = [old[0], ...keys.map((k, i) => old[i + 1] || old[0].map(() => null))];
    if (st.plot) st.plot.destroy();
    st.plot = newPlot(keys);
  }
  st.data[0].push((now - st.t0) / 1000);
  for (const [k, i] of st.series) st.data[i + 1].push(k in vals ? vals[k] : null);
  const keep = 600; // about two minutes at 5 rounds/s
  if (st.data[0].length > keep) for (const a of st.data) a.splice(0, a.length - keep);
  st.points += Object.keys(vals).length;
  $('chart').dataset.points = st.points;
  st.plot.setData(st.data);
  $('values').innerHTML = '';
  for (const txt of st.last.values()) { const sp = document.createElement('span'); sp.textContent = txt; $('values').append(sp); }
}

function endStream() {
  const st = S.stream;
  if (!st) return;
  clearInterval(st.keep);
  S.lastPoints = st.points;
  S.lastLatency = st.latency;
  window.obdgwConsole.lastLatency = st.latency;
  S.stream = null;
  $('live').disabled = false; $('pause').disabled = true; $('stop').disabled = true;
}

async function startLive() {
  if (!S.sel) { log(t('choose_bay'), 'refused'); return; }
  const { site, bay } = S.sel;
  const pids = $('pids').value.split(',').map((s) => s.trim()).filter(Boolean);
  const topic = `obdgw/v1/${site}/resp/${S.user}/bay/${bay}/live`;
  const ans = await request(site, 'live.start', { bay, pids, rate_hz: Number($('rate').value) || 1, idle_s: 15 });
  if (!ans) { log(`live: ${t('no_answer')}`, 'refused'); return; }
  if (!ans.ok) { refusal('live', ans); return; }
  S.stream = { site, bay, sid: ans.stream_id, topic: ans.topic || topic, t0: Date.now(), paused: false, series: new Map(), data: [[]], plot: null, points: 0, last: new Map(), latency: [] };
  S.stream.keep = setInterval(() => { if (S.stream) request(site, 'live.keepalive', { stream_id: S.stream.sid }, 5000); }, 5000);
  $('livestate').textContent = t('streaming');
  $('live').disabled = true; $('pause').disabled = false; $('stop').disabled = false;
  $('result').innerHTML = '';
  log(`live ${site}/${bay}: ${ans.stream_id}`, 'ok');
}

// ---- reads ----
function codeRows(list, kind, out) {
  for (const c of list || []) out.push([c.code, kind, getLang() === 'zh' ? c.zh || c.en || '' : c.en || c.zh || c.description || '']);
}

function table(rows, head) {
  const tb = document.createElement('table');
  if (head) { const tr = tb.createTHead().insertRow(); for (const h of head) { const th = document.createElement('th'); th.textContent = h; tr.append(th); } }
  const body = tb.createTBody();
  for (const r of rows) { const tr = body.insertRow(); for (const c of r) tr.insertCell().textContent = c; }
  return tb;
}

async function read(name, extra) {
  if (!S.sel) { log(t('choose_bay'), 'refused'); return; }
  const { site, bay } = S.sel;
  $('result').textContent = '…';
  const ans = await request(site, name, { bay, lang: getLang(), ...(extra || {}) }, 120000);
  if (!ans) { $('result').textContent = t('no_answer'); log(`${name}: ${t('no_answer')}`, 'refused'); return; }
  if (!ans.ok) { refusal(name, ans); return; }
  const r = $('result');
  r.innerHTML = '';
  const h = document.createElement('p');
  h.textContent = `${site} / ${bay} · ${name}${name.endsWith('.read') && name !== 'dtc.read' ? ' · ' + t('not_saved') : ''}`;
  r.append(h);
  if (name === 'dtc.read' || name === 'scan.read') {
    const d = name === 'dtc.read' ? ans.dtcs : ans.result;
    const rows = [];
    for (const e of d.ecus || []) {
      const lists = name === 'dtc.read' ? e : e.dtcs || {};
      codeRows(lists.stored, t('stored'), rows); codeRows(lists.pending, t('pending'), rows); codeRows(lists.permanent, t('permanent'), rows);
    }
    const p = document.createElement('p');
    p.textContent = `${t('mil')}: ${d.mil_on ? t('on') : t('off')}${d.vin ? ' · VIN ' + d.vin : ''}`;
    r.append(p, table(rows, ['DTC', '', '']));
    r.dataset.codes = rows.map((x) => x[0]).join(',');
  } else if (name === 'freeze_frame.read') {
    for (const e of ans.result.ecus || []) {
      const ff = e.freeze_frame;
      const p = document.createElement('p');
      p.textContent = `${e.address} ${e.name || ''}: ${ff ? t('ff_of', ff.dtc || '?') : t('none')}`;
      r.append(p);
      if (ff) r.append(table((ff.values || []).map((v) => [v.name || v.key, v.text || `${v.value} ${v.unit}`])));
    }
  } else if (name === 'readiness.read') {
    for (const e of ans.result.ecus || []) {
      const rd = e.readiness;
      const p = document.createElement('p');
      p.textContent = `${e.address} ${e.name || ''}${rd ? ` · ${t('mil')} ${rd.mil_on ? t('on') : t('off')} · ${t('incomplete_n', rd.incomplete)}` : ': ' + t('none')}`;
      r.append(p);
      if (rd) r.append(table((rd.monitors || []).map((m) => [m.name || m.monitor, m.complete ? t('complete') : t('incomplete')])));
    }
  } else if (name === 'mode06.read') {
    for (const e of ans.result.ecus || []) {
      const p = document.createElement('p');
      p.textContent = `${e.address} ${e.name || ''}`;
      r.append(p, table((e.mode06 || []).map((x) => [x.monitor, `${x.mid}/${x.tid}`, `${x.value} ${x.unit}`, `${x.min} … ${x.max}`, x.passed ? t('passed') : t('failed_test')]),
        ['', 'MID/TID', '', 'min … max', '']));
    }
  } else if (name === 'ro.scans') {
    r.append(table((ans.scans || []).map((s) => [`#${s.scan_id}`, s.stage, new Date(s.started_ms).toLocaleString(), s.technician || ''])));
  } else {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(ans.result || ans.report || ans, null, 1);
    r.append(pre);
  }
  log(`${name} ${site}/${bay}: ok`, 'ok');
}

// ---- proposals ----
function showProposal(detail) {
  const p = S.proposal;
  $('proposal').textContent = p ? `${t('proposal')} ${p.id}: ${t(p.state)}${detail ? ' · ' + detail : ''}` : '';
  $('proposal').dataset.state = p ? p.state : '';
  if (p) log(`${t('proposal')} ${p.id}: ${t(p.state)}`, p.state === 'cleared' || p.state === 'waiting' || p.state === 'confirmed' ? 'ok' : 'refused');
}

async function propose() {
  if (!S.sel) { log(t('choose_bay'), 'refused'); return; }
  const { site, bay } = S.sel;
  const q = { bay, kind: $('clearkind').value };
  if ($('reason').value) q.reason = $('reason').value.slice(0, 95);
  if (q.kind === 'uds' && $('module').value) q.module = $('module').value.split(':')[0];
  const ans = await request(site, 'clear.propose', q);
  if (!ans) { log(`clear.propose: ${t('no_answer')}`, 'refused'); return; }
  if (!ans.ok) { refusal('clear.propose', ans); return; }
  S.proposal = { id: ans.proposal_id, state: ans.state, site };
  showProposal();
}

// ---- connection ----
function connect() {
  const url = $('url').value.trim(), user = $('username').value.trim();
  if (!/^[A-Za-z0-9._@-]{1,63}$/.test(user)) { log(t('user') + ': A-Z a-z 0-9 . _ @ -', 'refused'); return; }
  S.user = user;
  S.cid = 'console-' + Math.random().toString(36).slice(2, 10);
  S.client = mqtt.connect(url, {
    protocolVersion: 5, username: user, password: $('password').value, clean: true,
    clientId: `obdgw-console-${user}-${S.cid}`, reconnectPeriod: 2000, connectTimeout: 8000, keepalive: 10,
  });
  setConn('wait');
  S.client.on('connect', () => {
    S.connected = true;
    setConn('on');
    $('login').hidden = true; $('main').hidden = false;
    $('who').textContent = user;
    S.client.subscribe([`obdgw/v1/+/resp/${user}/${S.cid}`, `obdgw/v1/+/resp/${user}/bay/+/live`], { qos: 1 }, () => {
      S.client.subscribe('obdgw/v1/+/status', { qos: 1 }); // retained: every gateway's online state, then its bays
    });
  });
  S.client.on('message', onMessage);
  S.client.on('offline', () => onLost());
  S.client.on('close', () => { if (S.connected) onLost(); });
  S.client.on('error', (e) => { log(`${t('login_failed')}: ${e.message}`, 'refused'); });
}

function onLost() {
  S.connected = false;
  setConn('wait');
  if (S.stream) { // no stale samples shown as live: the stream is over for us
    $('livestate').textContent = t('interrupted');
    log(t('interrupted'), 'refused');
    $('values').innerHTML = ''; // the last values are not current any more
    endStream();
  }
}

// ---- wiring ----
$('lang').addEventListener('change', () => { setLang($('lang').value); applyLang(); });
$('units').addEventListener('change', () => { if (S.stream) { S.stream.series.clear(); S.stream.data = [[]]; if (S.stream.plot) S.stream.plot.destroy(); S.stream.plot = null; } });
$('connect').addEventListener('click', connect);
$('refresh').addEventListener('click', () => { for (const [site, s] of S.sites) if (s.online) refreshSite(site); });
$('live').addEventListener('click', startLive);
$('pause').addEventListener('click', () => {
  if (!S.stream) return;
  S.stream.paused = !S.stream.paused;
  $('pause').textContent = t(S.stream.paused ? 'resume' : 'pause');
  $('livestate').textContent = t(S.stream.paused ? 'paused' : 'streaming');
});
$('stop').addEventListener('click', async () => { if (S.stream) await request(S.stream.site, 'live.stop', { stream_id: S.stream.sid }, 5000); });
$('dtc').addEventListener('click', () => read('dtc.read'));
$('freeze').addEventListener('click', () => read('freeze_frame.read'));
$('readiness').addEventListener('click', () => read('readiness.read'));
$('mode06').addEventListener('click', () => read('mode06.read'));
$('scan').addEventListener('click', () => read('scan.read'));
$('uds').addEventListener('click', () => read('uds_dtc.read', { module: $('module').value.trim() }));
$('roscans').addEventListener('click', () => read('ro.scans'));
$('propose').addEventListener('click', propose);
const q = new URLSearchParams(location.search);
if (q.get('broker')) $('url').value = q.get('broker');
else $('url').value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname || 'localhost'}:8884`;
if (q.get('user')) $('username').value = q.get('user');
if (q.get('lang')) { $('lang').value = q.get('lang'); setLang(q.get('lang')); }
applyLang();
