// GET /dashboard: one self-contained page (inline CSS and script, no CDN, no fonts, no images) that opens
// the event stream and swaps in the charts the router draws each second (charts.ts), plus a few headline
// numbers and the worker table. Its Content-Security-Policy allows nothing but this page and its own
// origin's event stream. Hovering a point shows its tooltip (@oicf/plot's hover script).
import { HOVER_SCRIPT } from '@oicf/plot';

export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'self'";

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f6; }
header { padding: 16px 24px 4px; }
h1 { font-size: 22px; margin: 0; }
#status { color: #555; margin: 4px 0 8px; font-size: 13px; }
#status.live::before { content: '● '; color: #0a7d3b; }
#stats { display: flex; flex-wrap: wrap; gap: 8px; }
.stat { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 6px 10px; min-width: 120px; }
.stat b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
.stat span { color: #666; font-size: 12px; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: 12px; padding: 12px 24px 24px; }
.card { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px; overflow-x: auto; }
.card svg { max-width: 100%; height: auto; display: block; }
.card h2 { font-size: 15px; margin: 4px 4px 8px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #eee; padding: 4px 6px; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
#oicf-tip { position: absolute; z-index: 10; max-width: 420px; background: #111; color: #fff; font-size: 12px; padding: 6px 8px; border-radius: 4px; pointer-events: none; }
#oicf-tip[hidden] { display: none; }
svg.focus [data-series]:not(.hl) { opacity: 0.22; }
.pt.active:not(.line) > * { stroke: #000 !important; stroke-width: 2.5px !important; }
`;

// Plain ES5, no eval. Frames replace the chart containers' content; window.oicfDashboard counts them
// (what the browser test reads). A closed stream is reopened after 3 s.
const LIVE_SCRIPT = `(function () {
  var state = { frames: 0, last: null };
  window.oicfDashboard = state;
  var status = document.getElementById('status');
  function setStatus(text, live) { status.textContent = text; status.className = live ? 'live' : ''; }
  function bytes(b) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
    return (i === 0 ? b.toFixed(0) : b.toFixed(1)) + ' ' + u[i];
  }
  function num(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits); }
  function ms(s) { return s === null || s === undefined ? '–' : (1000 * s).toFixed(1) + ' ms'; }
  function stat(label, value) {
    var d = document.createElement('div'); d.className = 'stat';
    var b = document.createElement('b'); b.textContent = value;
    var s = document.createElement('span'); s.textContent = label;
    d.appendChild(b); d.appendChild(s); return d;
  }
  function cell(row, text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
  function render(s) {
    for (var key in s.charts) {
      var box = document.getElementById('chart-' + key);
      if (box) box.innerHTML = s.charts[key];
    }
    var r = s.recent || {};
    var t = s.totals;
    var rejects = 0;
    for (var k in t.rejectedByReason) rejects += t.rejectedByReason[k];
    var stats = document.getElementById('stats');
    stats.textContent = '';
    stats.appendChild(stat('model (' + s.model.weightPrecision + ')', s.model.id));
    stats.appendChild(stat('generated tokens/s, last 10 s', num(r.generatedTokensPerSecond, 1)));
    stats.appendChild(stat('mean TTFT, last 10 s', ms(r.ttftMeanSeconds)));
    stats.appendChild(stat('mean TPOT, last 10 s', ms(r.tpotMeanSeconds)));
    stats.appendChild(stat('requests finished', String(t.numFinished)));
    stats.appendChild(stat('rejected (429)', String(rejects)));
    var body = document.getElementById('workers-body');
    body.textContent = '';
    s.workers.forEach(function (w) {
      var row = document.createElement('tr');
      row.setAttribute('data-worker', w.id);
      cell(row, w.id); cell(row, w.role + (w.healthy ? '' : ' (unhealthy)'));
      cell(row, String(w.running)); cell(row, String(w.waiting));
      cell(row, bytes(w.kvUsedBytes) + ' / ' + bytes(w.kvCapacityBytes));
      cell(row, w.prefill ? num(w.prefill.intensityFlopsPerByte, 2) : '–');
      cell(row, w.decode ? num(w.decode.intensityFlopsPerByte, 2) : '–');
      cell(row, w.decode ? bytes(w.decode.capacityFootprintBytes) : '–');
      body.appendChild(row);
    });
    state.frames += 1;
    state.last = s;
  }
  function connect() {
    var es = new EventSource('/dashboard/events');
    es.onmessage = function (e) { render(JSON.parse(e.data)); setStatus('live · frame ' + state.frames, true); };
    es.onerror = function () {
      if (es.readyState === 2) { setStatus('disconnected; retrying in 3 s', false); setTimeout(connect, 3000); }
      else setStatus('reconnecting…', false);
    };
  }
  connect();
})();`;

const CHARTS: ReadonlyArray<readonly [string, string]> = [
  ['plane', 'OI–CF plane'],
  ['roofline', 'Roofline'],
  ['latency', 'TTFT and TPOT'],
  ['throughput', 'Tokens per second'],
  ['tiers', 'Tier occupancy'],
  ['sources', 'Prefix reuse'],
  ['routing', 'Routing and rejects'],
];

export function dashboardPage(servedModel: string): string {
  const cards = CHARTS.map(
    ([key, label]) =>
      `<section class="card" aria-label="${label}"><div id="chart-${key}">waiting for data…</div></section>`,
  ).join('\n');
  const model = servedModel.replace(/[^A-Za-z0-9._-]/g, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_CSP}">
<title>oicf router · ${model}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header>
<h1>oicf router · live cluster</h1>
<p id="status">connecting…</p>
<div id="stats"></div>
</header>
<main>
${cards}
<section class="card" aria-label="Workers"><h2>Workers (last heartbeat)</h2>
<table><thead><tr><th>worker</th><th>role</th><th>running</th><th>waiting</th><th>KV used</th><th>prefill OI</th><th>decode OI</th><th>decode CF</th></tr></thead>
<tbody id="workers-body"></tbody></table></section>
</main>
<div id="oicf-tip" role="tooltip" hidden></div>
<script>${HOVER_SCRIPT}</script>
<script>${LIVE_SCRIPT}</script>
</body>
</html>
`;
}
