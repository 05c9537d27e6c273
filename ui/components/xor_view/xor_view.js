// The live view of /xor: Play/Pause, the read-outs, and five charts drawn on canvases (the decision boundary,
// the network, the loss, every weight, each hidden neuron), for one frame at a time.
//
// Python sends frames, each the network after some epochs: {epoch, params, loss, readings, solved}. Paused, it
// sends the one on screen; playing, every tick it sends those due over the next 2 s (dlplay/xor/play.py), and
// this view shows them at `fps` by its own clock. Pause answers here at once: the frame on screen stays, and Python
// is told which one it was (it takes the run back there). So the picture never waits for a script run, and a
// frame costs 0.3 kB and ~10 ms of drawing, where five Plotly charts sent and laid out again held play to 1.45 a second.
//
// The network over the input square is run here from each frame's parameters, with the layout and edge rule
// Python gives (dlplay/xor/charts.py: layout, and the constants in view_data); the page's test compares it
// with numpy's at the corners.
// Streamlit calls this function again, on the same element, whenever `data` changes: the view is built once.

const views = new WeakMap();
const MIN_FONT = 14; // px: labels readable from the back of a room
const MAX_TRAIL = 400; // points kept for the curves; halved when passed

export default function ({ parentElement, data, setTriggerValue }) {
  let view = views.get(parentElement);
  if (!view) {
    view = build(parentElement);
    views.set(parentElement, view);
  }
  view.trigger = setTriggerValue;
  // The series' colours come with a paused view's data (dlplay/colours.py); while playing each tick leaves them out.
  view.series = (data && data.colours && data.colours.series) || view.series;
  if (data && data.colours) data.colours.series = view.series;
  view.update(data || {});
  return view.destroy;
}

function build(parentElement) {
  const root = document.createElement("div");
  root.className = "xor-view";
  root.innerHTML = `
    <div class="bar">
      <button type="button" class="play"></button>
      <dl class="readings">
        <div><dt data-label="epoch"></dt><dd data-reading="epoch"></dd></div>
        <div><dt data-label="loss_now"></dt><dd data-reading="loss"></dd></div>
        <div class="wide"><dt data-label="predictions"></dt><dd data-reading="predictions"></dd></div>
        <div><dt data-label="solved"></dt><dd data-reading="solved"></dd></div>
      </dl>
    </div>
    <div class="charts">
      <div class="chart"><figure class="boundary" aria-describedby="summary-boundary"><figcaption></figcaption><canvas></canvas></figure>
        <p class="summary" id="summary-boundary" data-summary="boundary"></p></div>
      <div class="chart"><figure class="network" aria-describedby="summary-network"><figcaption></figcaption><canvas></canvas><div class="tip" hidden></div></figure>
        <p class="summary" id="summary-network" data-summary="network"></p></div>
      <div class="chart"><figure class="loss" aria-describedby="summary-loss"><figcaption></figcaption><canvas></canvas><p class="empty"></p></figure>
        <p class="summary" id="summary-loss" data-summary="loss"></p></div>
      <div class="chart"><figure class="weights" aria-describedby="summary-weights"><figcaption></figcaption><canvas></canvas><p class="empty"></p><ul class="legend"></ul></figure>
        <p class="summary" id="summary-weights" data-summary="weights"></p></div>
      <div class="chart wide"><figure class="hidden-maps" aria-describedby="summary-hidden"><figcaption></figcaption><canvas></canvas></figure>
        <p class="summary" id="summary-hidden" data-summary="hidden"></p></div>
    </div>`;
  parentElement.appendChild(root);
  const $ = (selector) => root.querySelector(selector);
  const view = {
    data: null, run: null, trail: null, queue: [], shown: null, playing: false, clicks: 0, pending: null,
    raf: 0, nextAt: 0, painted: 0, frames: 0, trigger: null, geometry: null,
  };
  const button = $(".play");

  button.addEventListener("click", () => {
    if (button.disabled) return;
    const playing = !view.playing;
    view.clicks += 1;
    view.pending = { clicks: view.clicks, playing };
    view.playing = playing;
    if (!playing) stopLoop(view);
    label();
    root.dataset.playing = String(playing);
    const epoch = view.shown ? view.shown.epoch : 0;
    if (view.trigger) view.trigger("toggle", { playing, epoch, click: view.clicks });
  });

  const label = () => {
    const d = view.data;
    if (!d) return;
    button.textContent = view.playing ? d.labels.pause : d.labels.play;
    button.classList.toggle("pausing", view.playing);
    button.disabled = !view.playing && !d.can_play;
  };

  view.update = (data) => {
    view.data = data;
    if (data.run !== view.run) {
      view.run = data.run;
      view.trail = null;
      view.queue = [];
      view.shown = null;
      legend(root, data);
    }
    if (data.history) view.trail = trailFrom(data.history);
    if (view.pending && (data.answered || 0) >= view.pending.clicks) view.pending = null;
    root.dataset.serverPlaying = String(!!data.playing);
    for (const dt of root.querySelectorAll("dt[data-label]")) {
      dt.textContent = data.labels[dt.dataset.label];
      if (dt.dataset.label === "solved") dt.title = data.labels.solved_help;
    }
    $(".boundary figcaption").textContent = data.labels.boundary;
    $(".network figcaption").textContent = data.labels.network;
    $(".loss figcaption").textContent = data.labels.loss_chart;
    $(".weights figcaption").textContent = data.labels.weights_chart;
    $(".hidden-maps figcaption").textContent = data.labels.hidden_chart;
    $(".hidden-maps").parentElement.hidden = data.layout.nodes.length < 3;
    $(".loss .empty").textContent = data.labels.empty_loss;
    $(".weights .empty").textContent = data.labels.empty_weights;
    const frames = data.frames || [];
    if (view.pending) {
      // A click the server has not answered yet: what arrives was made before it, and does not undo it.
      if (view.playing) enqueue(view, frames);
    } else if (data.playing) {
      view.playing = true;
      enqueue(view, frames);
    } else {
      view.playing = false;
      stopLoop(view);
      view.queue = [];
      if (frames.length) show(view, frames[frames.length - 1]);
      else paint(view);
    }
    root.dataset.playing = String(view.playing);
    label();
    if (view.playing && !view.raf) startLoop(view);
  };

  const resized = new ResizeObserver(() => { if (view.shown) paint(view); });
  resized.observe(root);
  const network = $(".network canvas");
  const tip = $(".network .tip");
  const hover = (event) => {
    const found = view.geometry && hit(view.geometry, event.offsetX, event.offsetY);
    tip.hidden = !found;
    if (found) {
      tip.textContent = found;
      tip.style.left = `${network.offsetLeft + event.offsetX + 12}px`;
      tip.style.top = `${network.offsetTop + event.offsetY + 12}px`;
    }
  };
  // Hover and tap alike show a value; nothing here stops a finger's swipe from scrolling the page.
  network.addEventListener("pointermove", hover);
  network.addEventListener("pointerdown", hover);
  network.addEventListener("pointerleave", () => { tip.hidden = true; });
  view.root = root;
  view.destroy = () => {
    // Streamlit calls this when the element goes; a later call of the default export builds a new view.
    setTimeout(() => {
      if (root.isConnected) return;
      stopLoop(view);
      resized.disconnect();
    }, 0);
  };
  return view;
}

function trailFrom(history) {
  return { epochs: history.epochs.slice(), loss: history.loss.slice(), params: history.params.map((s) => s.slice()) };
}

function enqueue(view, frames) {
  const last = view.queue.length ? view.queue[view.queue.length - 1].epoch : (view.shown ? view.shown.epoch : -1);
  for (const frame of frames) if (frame.epoch > last) view.queue.push(frame);
}

function startLoop(view) {
  view.nextAt = performance.now();
  const step = (now) => {
    if (!view.playing) { view.raf = 0; return; }
    view.raf = requestAnimationFrame(step);
    if (now < view.nextAt || !view.queue.length) return;
    const fps = view.data.fps || 15;
    view.nextAt = Math.max(view.nextAt + 1000 / fps, now - 1000 / fps);
    // Python sends ~2 s ahead (play.LEAD_SECONDS). Far more in line means a tab too slow to keep up:
    // skip to 2 s of frames rather than fall ever further behind the run.
    if (view.queue.length > 4 * fps) view.queue.splice(0, view.queue.length - 2 * fps);
    show(view, view.queue.shift());
  };
  view.raf = requestAnimationFrame(step);
}

function stopLoop(view) {
  if (view.raf) cancelAnimationFrame(view.raf);
  view.raf = 0;
}

function show(view, frame) {
  view.shown = frame;
  view.frames += 1;
  view.root.dataset.frames = String(view.frames); // frames shown (painted counts redraws too): bench_xor_play.py
  const trail = view.trail || (view.trail = { epochs: [], loss: [], params: frame.params.map(() => []) });
  if (!trail.epochs.length || frame.epoch > trail.epochs[trail.epochs.length - 1]) {
    trail.epochs.push(frame.epoch);
    trail.loss.push(frame.loss);
    frame.params.forEach((value, i) => trail.params[i].push(value));
    if (trail.epochs.length > MAX_TRAIL) thin(trail);
  }
  paint(view);
}

function thin(trail) {
  const keep = (series) => series.filter((_, i) => i % 2 === 0 || i === series.length - 1);
  trail.epochs = keep(trail.epochs);
  trail.loss = keep(trail.loss);
  trail.params = trail.params.map(keep);
}

function paint(view) {
  const { root, data, shown: frame } = view;
  if (!frame || !data) return;
  const started = performance.now();
  view.painted += 1;
  root.dataset.epoch = String(frame.epoch);
  root.dataset.painted = String(view.painted);
  for (const dd of root.querySelectorAll("dd[data-reading]")) {
    const name = dd.dataset.reading;
    dd.textContent = name === "solved" ? (frame.solved ? data.labels.yes : data.labels.no) : frame.readings[name];
  }
  const style = getComputedStyle(root);
  const ink = { text: style.color, font: style.fontFamily,
    size: Math.max(MIN_FONT, 0.875 * parseFloat(style.fontSize || "16")) };
  const grid = runGrid(data, frame.params);
  drawBoundary(root.querySelector(".boundary canvas"), data, grid, ink);
  view.geometry = drawNetwork(root.querySelector(".network canvas"), data, frame.params, ink);
  const trail = visibleTrail(view.trail, frame.epoch);
  const empty = trail.epochs.length < 2;
  for (const name of ["loss", "weights"]) {
    root.querySelector(`.${name} canvas`).hidden = empty;
    root.querySelector(`.${name} .empty`).hidden = !empty;
  }
  root.querySelector(".weights .legend").hidden = empty;
  summarise(root, data, frame, empty);
  if (!empty) {
    drawLoss(root.querySelector(".loss canvas"), data, trail, ink);
    drawWeights(root.querySelector(".weights canvas"), data, trail, ink);
  }
  if (data.layout.nodes.length > 2) drawHidden(root.querySelector(".hidden-maps canvas"), data, grid, ink);
  if (!view.playing) root.dataset.corners = JSON.stringify(corners(data, frame.params));
  view.paintMs = (view.paintMs || 0) + performance.now() - started;
  root.dataset.paintMs = (view.paintMs / view.painted).toFixed(1); // the mean cost of a frame: bench_xor_play.py
}

// Each chart's numbers as text under it (beside its figure, which it describes: the figure's box is the chart's
// own), for a screen reader and for anyone (dlplay/xor/summaries.py): the
// frame's numbers put into the sentence its `kind` picks, `{name}` by `{name}`. While playing only one frame a
// second brings them (play.summarised); the text stays until the next, naming its own epoch. None under an empty
// chart.
function summarise(root, data, frame, empty) {
  for (const p of root.querySelectorAll("p[data-summary]")) {
    const name = p.dataset.summary;
    if (frame.summary) {
      const numbers = frame.summary[name];
      const template = numbers && (data.labels[`${name}_summary_${numbers.kind}`] || data.labels[`${name}_summary`]);
      const values = { ...frame.readings, ...numbers };
      p.textContent = template ? template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole)) : "";
    }
    p.hidden = !p.textContent || (empty && (name === "loss" || name === "weights"));
  }
}

function visibleTrail(trail, epoch) {
  if (!trail) return { epochs: [], loss: [], params: [] };
  let n = trail.epochs.length;
  while (n > 0 && trail.epochs[n - 1] > epoch) n -= 1;
  return { epochs: trail.epochs.slice(0, n), loss: trail.loss.slice(0, n), params: trail.params.map((s) => s.slice(0, n)) };
}

// The network, run on one input (x1, x2) into `a`, one Float64Array per column (Python's network.forward).
function forward(net, params, activation, x1, x2, a) {
  a[0][0] = x1;
  a[0][1] = x2;
  for (let c = 1; c < net.columns.length; c += 1) {
    const f = c === net.columns.length - 1 ? sigmoid : activation;
    const before = a[c - 1], into = a[c], nodes = net.inputs[c];
    for (let row = 0; row < nodes.length; row += 1) {
      const { bias, sources, weights } = nodes[row];
      let z = params[bias];
      for (let k = 0; k < sources.length; k += 1) z += params[weights[k]] * before[sources[k]];
      into[row] = f(z);
    }
  }
  return a;
}

// Each neuron's bias and incoming edges (source rows, weights' indices), worked out once per `data`.
function compile(data) {
  if (!data.compiled) {
    const columns = data.layout.nodes;
    const inputs = columns.map((column) => column.map((node) => ({ bias: node.bias, sources: [], weights: [] })));
    for (const edge of data.layout.edges) {
      const node = inputs[edge.target[0]][edge.target[1]];
      node.sources.push(edge.source[1]);
      node.weights.push(edge.param);
    }
    data.compiled = { columns, inputs, a: columns.map((column) => new Float64Array(column.length)) };
  }
  return data.compiled;
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const ACTIVATIONS = { sigmoid, tanh: Math.tanh, relu: (z) => Math.max(z, 0) };

function corners(data, params) {
  const net = compile(data);
  return [[0, 0], [0, 1], [1, 0], [1, 1]].map(([x1, x2]) => {
    const a = forward(net, params, ACTIVATIONS[data.activation], x1, x2, net.a);
    return a[a.length - 1][0];
  });
}

// The network over the input square, cell by cell: output and hidden planes, rows from x2's top down.
// The planes are kept with `data` and refilled each frame: a frame allocates nothing.
function runGrid(data, params) {
  const { low, high, size } = data.grid;
  const net = compile(data);
  if (!data.planes) {
    data.planes = { output: new Float64Array(size * size),
      hidden: net.columns.length > 2 ? net.columns[1].map(() => new Float64Array(size * size)) : [] };
  }
  const { output, hidden } = data.planes;
  const f = ACTIVATIONS[data.activation], last = net.columns.length - 1;
  for (let r = 0; r < size; r += 1) {
    const x2 = high - (r * (high - low)) / (size - 1);
    for (let k = 0; k < size; k += 1) {
      const a = forward(net, params, f, low + (k * (high - low)) / (size - 1), x2, net.a);
      const cell = r * size + k;
      output[cell] = a[last][0];
      for (let j = 0; j < hidden.length; j += 1) hidden[j][cell] = a[1][j];
    }
  }
  return { output, hidden, size, low, high };
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// A heat map's picture, one pixel a cell, in the one colour scale (dlplay/colours.py): orange at range's low,
// grey at its middle, blue at its high. Drawn into a canvas kept for `key`; scaled up, it is smoothed.
function plane(data, key, values, [low, middle, high]) {
  const size = data.grid.size;
  const kept = (data.pictures ||= {});
  if (!kept[key]) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    const context = canvas.getContext("2d");
    kept[key] = { canvas, context, image: context.createImageData(size, size) };
  }
  const rgb = (data.rgb ||= { negative: hexRgb(data.colours.negative), middle: hexRgb(data.colours.middle),
    positive: hexRgb(data.colours.positive) });
  const { canvas, context, image } = kept[key];
  const pixels = image.data;
  for (let i = 0; i < values.length; i += 1) {
    const v = Number.isFinite(values[i]) ? values[i] : middle;
    const below = v <= middle;
    const t = Math.max(0, Math.min(1, below ? (middle - v) / (middle - low || 1) : (v - middle) / (high - middle || 1)));
    const end = below ? rgb.negative : rgb.positive;
    for (let c = 0; c < 3; c += 1) pixels[4 * i + c] = rgb.middle[c] + (end[c] - rgb.middle[c]) * t;
    pixels[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

function fit(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return context;
}

const widthOf = (canvas) => Math.max(200, Math.floor(canvas.parentElement.clientWidth));

function drawBoundary(canvas, data, grid, ink) {
  const width = Math.min(widthOf(canvas), 420);
  const pad = { left: ink.size * 2.6, bottom: ink.size * 2.4, top: 6, right: 6 };
  const side = Math.min(width - pad.left - pad.right, 360);
  const context = fit(canvas, pad.left + side + pad.right, pad.top + side + pad.bottom);
  context.imageSmoothingEnabled = true;
  context.drawImage(plane(data, "output", grid.output, data.ranges.output), pad.left, pad.top, side, side);
  const at = (v) => ((v - grid.low) / (grid.high - grid.low)) * side;
  context.font = `${ink.size}px ${ink.font}`;
  context.fillStyle = ink.text;
  context.textAlign = "center";
  context.textBaseline = "top";
  for (const v of [0, 1]) context.fillText(String(v), pad.left + at(v), pad.top + side + 4);
  context.fillText("x₁", pad.left + side / 2, pad.top + side + ink.size * 1.2);
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const v of [0, 1]) context.fillText(String(v), pad.left - 6, pad.top + side - at(v));
  context.save();
  context.translate(ink.size * 0.7, pad.top + side / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = "center";
  context.fillText("x₂", 0, 0);
  context.restore();
  const targets = [0, 1, 1, 0];
  [[0, 0], [0, 1], [1, 0], [1, 1]].forEach(([a, b], i) => {
    const x = pad.left + at(a), y = pad.top + side - at(b);
    context.beginPath();
    context.arc(x, y, ink.size * 0.95, 0, 2 * Math.PI);
    context.fillStyle = targets[i] ? data.colours.positive : data.colours.negative;
    context.fill();
    context.lineWidth = 2;
    context.strokeStyle = "#000";
    context.stroke();
    context.fillStyle = "#fff";
    context.textAlign = "center";
    context.font = `bold ${ink.size}px ${ink.font}`;
    context.fillText(String(targets[i]), x, y + 1);
  });
}

function drawNetwork(canvas, data, params, ink) {
  const width = widthOf(canvas);
  const columns = data.layout.nodes;
  const rows = Math.max(...columns.map((c) => c.length));
  // No taller than the boundary chart beside it (about 340 px): eight hidden neurons fell below a projector's fold.
  const radius = Math.max(16, Math.min(Math.max(18, ink.size * 1.35), 340 / (rows * 2.3)));
  const height = Math.min(340, Math.max(220, rows * radius * 2.6));
  const context = fit(canvas, width, height);
  const padX = radius + 8 + ink.size * 2.5;
  const place = (node) => ({
    x: padX + (node.x / (columns.length - 1)) * (width - 2 * padX),
    y: height / 2 - node.y * Math.min(radius * 2.6, (height - 2 * radius - 8) / Math.max(rows - 1, 1)),
  });
  const largest = Math.max(...data.layout.edges.map((e) => Math.abs(params[e.param])));
  const geometry = { edges: [], nodes: [] };
  for (const edge of data.layout.edges) {
    const w = params[edge.param];
    const a = place(columns[edge.source[0]][edge.source[1]]);
    const b = place(columns[edge.target[0]][edge.target[1]]);
    // charts.edge_width: 1 + (widest - 1) · |w| / max(largest, scale)
    const line = 1 + (data.edge.widest - 1) * Math.min(1, Math.abs(w) / Math.max(largest, data.edge.scale));
    context.beginPath();
    context.moveTo(a.x, a.y);
    context.lineTo(b.x, b.y);
    context.lineWidth = line;
    context.strokeStyle = w > 0 ? data.colours.positive : data.colours.negative;
    context.stroke();
    geometry.edges.push({ a, b, text: `${data.names[edge.param]} = ${w.toPrecision(4)}` });
  }
  context.textAlign = "center";
  context.textBaseline = "middle";
  columns.forEach((column) => column.forEach((node) => {
    const p = place(node);
    context.beginPath();
    context.arc(p.x, p.y, radius, 0, 2 * Math.PI);
    context.fillStyle = "#fff";
    context.fill();
    context.lineWidth = 3;
    const bias = node.bias === null ? null : params[node.bias];
    context.strokeStyle = bias === null ? "#444" : bias > 0 ? data.colours.positive : data.colours.negative;
    context.stroke();
    context.fillStyle = "#222";
    context.font = `bold ${ink.size * 1.1}px ${ink.font}`;
    context.fillText(node.name, p.x, p.y);
    geometry.nodes.push({ ...p, radius, text: bias === null ? node.name
      : `${node.name}: ${data.names[node.bias]} = ${bias.toPrecision(4)}` });
  }));
  return geometry;
}

function hit(geometry, x, y) {
  const node = geometry.nodes.find((n) => Math.hypot(n.x - x, n.y - y) <= n.radius);
  if (node) return node.text;
  let best = null, nearest = 8;
  for (const e of geometry.edges) {
    const dx = e.b.x - e.a.x, dy = e.b.y - e.a.y;
    const t = Math.max(0, Math.min(1, ((x - e.a.x) * dx + (y - e.a.y) * dy) / (dx * dx + dy * dy || 1)));
    const d = Math.hypot(e.a.x + t * dx - x, e.a.y + t * dy - y);
    if (d < nearest) { nearest = d; best = e.text; }
  }
  return best;
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// A decade on the loss axis: 0.001 to 1000 as decimals, beyond as 10 to a power (10⁻⁴), never "100μ".
function decade(k) {
  if (k >= -3 && k <= 3) return k < 0 ? (10 ** k).toFixed(-k) : String(10 ** k);
  return "10" + String(k).split("").map((c) => SUPERSCRIPT[c]).join("");
}

function niceStep(span, most) {
  const raw = span / Math.max(1, most);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || power * 10;
}

// Axis numbers with thousands separators and a true minus sign.
const number = (v) => v.toLocaleString("en-US", { maximumFractionDigits: 6 }).replace("-", "−");

function frameOf(canvas, ink, height) {
  const width = widthOf(canvas);
  const context = fit(canvas, width, height);
  const box = { left: ink.size * 3.4, right: width - 10, top: 8, bottom: height - ink.size * 2.6 };
  return { context, box, width, height };
}

function epochAxis(context, box, ink, last, label) {
  const step = niceStep(last, Math.max(2, Math.floor((box.right - box.left) / (ink.size * 6))));
  const x = (e) => box.left + (e / last) * (box.right - box.left);
  context.fillStyle = ink.text;
  context.font = `${ink.size}px ${ink.font}`;
  context.textAlign = "center";
  context.textBaseline = "top";
  for (let e = 0; e <= last + 1e-9; e += step) {
    const text = number(e), half = context.measureText(text).width / 2;
    context.fillText(text, Math.min(x(e), context.canvas.clientWidth - half - 2), box.bottom + 4);
  }
  context.fillText(label, (box.left + box.right) / 2, box.bottom + ink.size * 1.35);
  return x;
}

function drawLoss(canvas, data, trail, ink) {
  const { context, box } = frameOf(canvas, ink, 250);
  const values = trail.loss.filter((v) => v > 0 && Number.isFinite(v));
  if (!values.length) return;
  let lo = Math.floor(Math.log10(Math.min(...values)));
  let hi = Math.ceil(Math.log10(Math.max(...values)));
  if (hi - lo < 1) hi = lo + 1;
  const y = (v) => box.bottom - ((Math.log10(v) - lo) / (hi - lo)) * (box.bottom - box.top);
  const last = Math.max(1, trail.epochs[trail.epochs.length - 1]);
  const x = epochAxis(context, box, ink, last, data.labels.epoch_axis);
  context.textAlign = "right";
  context.textBaseline = "middle";
  const every = Math.ceil((hi - lo) / Math.max(1, Math.floor((box.bottom - box.top) / (ink.size * 1.8))));
  for (let k = lo; k <= hi; k += 1) {
    context.strokeStyle = "rgba(128,128,128,0.35)";
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(box.left, y(10 ** k));
    context.lineTo(box.right, y(10 ** k));
    context.stroke();
    if ((k - lo) % every === 0) context.fillText(decade(k), box.left - 6, y(10 ** k));
    if (hi - lo <= 4 && k < hi) {
      context.strokeStyle = "rgba(128,128,128,0.12)";
      for (let m = 2; m < 10; m += 1) {
        context.beginPath();
        context.moveTo(box.left, y(m * 10 ** k));
        context.lineTo(box.right, y(m * 10 ** k));
        context.stroke();
      }
    }
  }
  line(context, trail.epochs.map(x), trail.loss.map((v) => (v > 0 ? y(v) : box.bottom)), "#444", 2.5);
}

function drawWeights(canvas, data, trail, ink) {
  const { context, box } = frameOf(canvas, ink, 250);
  const all = trail.params.flat().filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const step = niceStep(hi - lo, Math.max(2, Math.floor((box.bottom - box.top) / (ink.size * 2.2))));
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const y = (v) => box.bottom - ((v - lo) / (hi - lo)) * (box.bottom - box.top);
  const last = Math.max(1, trail.epochs[trail.epochs.length - 1]);
  const x = epochAxis(context, box, ink, last, data.labels.epoch_axis);
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (let v = lo; v <= hi + step / 2; v += step) {
    const value = Math.abs(v) < step / 1e6 ? 0 : v;
    context.strokeStyle = value === 0 ? "rgba(128,128,128,0.7)" : "rgba(128,128,128,0.3)";
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(box.left, y(value));
    context.lineTo(box.right, y(value));
    context.stroke();
    context.fillText(number(Number(value.toPrecision(6))), box.left - 6, y(value));
  }
  const xs = trail.epochs.map(x);
  trail.params.forEach((series, i) => {
    line(context, xs, series.map(y), data.colours.series[i % data.colours.series.length], 1.8, isBias(data, i));
  });
}

function isBias(data, index) {
  return data.layout.nodes.some((column) => column.some((node) => node.bias === index));
}

function line(context, xs, ys, colour, width, dashed = false) {
  context.save();
  context.beginPath();
  xs.forEach((x, i) => (i ? context.lineTo(x, ys[i]) : context.moveTo(x, ys[i])));
  context.strokeStyle = colour;
  context.lineWidth = width;
  context.setLineDash(dashed ? [6, 4] : []);
  context.stroke();
  context.restore();
}

// Every parameter's name beside its line's colour, wrapping over as many rows as it needs.
function legend(root, data) {
  const list = root.querySelector(".weights .legend");
  list.replaceChildren(...data.names.map((name, i) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = isBias(data, i) ? "swatch dashed" : "swatch";
    swatch.style.setProperty("--colour", data.colours.series[i % data.colours.series.length]);
    item.append(swatch, document.createTextNode(name));
    return item;
  }));
}

function drawHidden(canvas, data, grid, ink) {
  const width = widthOf(canvas);
  const count = grid.hidden.length;
  const gap = 10;
  const side = Math.min(140, (width - gap * (count - 1)) / count);
  const context = fit(canvas, width, side + ink.size * 1.6);
  context.imageSmoothingEnabled = true;
  context.font = `${ink.size}px ${ink.font}`;
  context.fillStyle = ink.text;
  context.textAlign = "center";
  context.textBaseline = "top";
  grid.hidden.forEach((values, j) => {
    const left = j * (side + gap);
    context.drawImage(plane(data, `h${j}`, values, data.ranges.hidden), left, 0, side, side);
    context.fillText(data.layout.nodes[1][j].name, left + side / 2, side + 4);
  });
}
