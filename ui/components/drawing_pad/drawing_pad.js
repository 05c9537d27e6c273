// The drawing surface of /digits: a square canvas and its Undo and Clear buttons.
//
// Pointer events serve mouse, pen and finger alike; `touch-action: none` (drawing_pad.css) and preventDefault keep the
// page from scrolling or zooming under a finger, and pointer capture keeps a stroke that leaves the square. A stroke
// may start on any pixel of it: nothing lies over the canvas, and there is no mode to switch.
//
// What goes to Python is the strokes, {strokes: [[x0, y0, x1, y1, ...], ...], live, n}, in the SIDE × SIDE pixels
// the server renders them in
// (dlplay/digits/pad.py tells this pad SIDE and PEN): a few hundred bytes, where a picture would be tens of KB.
// When the pen lifts they are sent at once (live: false). While it moves (live: true), so that the reading follows
// the stroke: every SEND_EVERY ms, but only once the last was read (Python passes back `read`, the n it read) and
// AFTER_ANSWER ms have passed since. An idle server reads in a few tens of ms, so the pad sends every SEND_EVERY
// ms; a server busy with a class gets fewer readings to make, not a queue of them.
//
// Streamlit calls this function again, on the same element, whenever `data` (the labels, `read`) changes: the pad
// is built once per element and kept, so a rerun never wipes a drawing or interrupts a stroke.

const SEND_EVERY = 150; // ms between sends while the pen moves (the reading is to follow within 250 ms)
const AFTER_ANSWER = 60; // ms from a reading's arrival to the next send
const NO_ANSWER = 1000; // ms after which an unread send no longer holds the next one back
const MIN_STEP = 1; // a point nearer than this (canvas pixels) to the last one adds nothing under a 20-pixel pen
const TOOLS = 68; // screen pixels the buttons take beside the canvas, with the gap (pad.css: 3.75rem + 0.5rem)
const MIN_SIDE = 220; // the smallest canvas worth a finger (5.8 cm): narrower beside the buttons, they go under it;
// at 220 a 320-pixel phone keeps them beside, and the Prediction on its first screen
const MAX_SIDE = 480;
const ROOM_BELOW = 150; // screen pixels kept free under the canvas in the window's height: the Prediction's place

const pads = new WeakMap();

export default function ({ parentElement, data, setStateValue }) {
  let pad = pads.get(parentElement);
  if (!pad) {
    pad = build(parentElement, data || {});
    pads.set(parentElement, pad);
  }
  pad.send = setStateValue;
  pad.label(data || {});
  pad.heard((data || {}).read);
  pad.put((data || {}).put);
  return pad.destroy;
}

function build(parentElement, data) {
  // The pixels the server renders the strokes in, and the pen's width in them (dlplay/digits/pad.py).
  const SIDE = data.side;
  const PEN = data.pen;
  const root = document.createElement("div");
  root.className = "pad";
  root.innerHTML = `<canvas></canvas><div class="tools">
    <button type="button" class="undo"><span aria-hidden="true">↶</span><span class="label"></span></button>
    <button type="button" class="clear"><span aria-hidden="true">✕</span><span class="label"></span></button></div>`;
  parentElement.appendChild(root);
  const canvas = root.querySelector("canvas");
  const undo = root.querySelector(".undo");
  const clear = root.querySelector(".clear");
  const context = canvas.getContext("2d");
  const host = parentElement.host || parentElement;
  const pad = { send: null, strokes: [], pointer: null, box: null, timer: 0, version: 0, sent: 0,
    lastSent: -Infinity, waiting: 0, answered: -Infinity };

  const fit = () => {
    const width = Math.floor(host.clientWidth || root.clientWidth);
    if (!width) return;
    const beside = width - TOOLS >= MIN_SIDE;
    const tall = Math.max(MIN_SIDE, window.innerHeight - ROOM_BELOW);
    const side = Math.max(100, Math.min(beside ? width - TOOLS : width, MAX_SIDE, tall));
    root.classList.toggle("beside", beside);
    const scale = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(side * scale) || canvas.style.width !== `${side}px`) {
      canvas.style.width = canvas.style.height = `${side}px`;
      canvas.width = canvas.height = Math.round(side * scale);
      paint();
      if (pad.pointer !== null) pad.box = canvas.getBoundingClientRect(); // turned mid-stroke
    }
  };

  const ink = () => {
    const unit = canvas.width / SIDE;
    context.setTransform(unit, 0, 0, unit, 0, 0);
    context.strokeStyle = context.fillStyle = "#fff";
    context.lineWidth = PEN;
    context.lineCap = context.lineJoin = "round";
  };

  const paint = () => {
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = "#000";
    context.fillRect(0, 0, canvas.width, canvas.height);
    ink();
    for (const stroke of pad.strokes) {
      dot(stroke[0], stroke[1]);
      for (let k = 2; k < stroke.length; k += 2) segment(stroke[k - 2], stroke[k - 1], stroke[k], stroke[k + 1]);
    }
    undo.disabled = clear.disabled = pad.strokes.length === 0;
  };

  const dot = (x, y) => {
    context.beginPath();
    context.arc(x, y, PEN / 2, 0, 2 * Math.PI);
    context.fill();
  };

  const segment = (x0, y0, x1, y1) => {
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    context.stroke();
  };

  // A point of the pointer in canvas pixels, to a tenth of one (the box is read once per stroke: the page stays put).
  const add = (event, always) => {
    const stroke = pad.strokes[pad.strokes.length - 1];
    const x = Math.round(((event.clientX - pad.box.left) * SIDE) / pad.box.width * 10) / 10;
    const y = Math.round(((event.clientY - pad.box.top) * SIDE) / pad.box.height * 10) / 10;
    const n = stroke.length;
    if (n && !always && Math.hypot(x - stroke[n - 2], y - stroke[n - 1]) < MIN_STEP) return;
    stroke.push(x, y);
    ink();
    if (n) segment(stroke[n - 2], stroke[n - 1], x, y);
    else dot(x, y);
    pad.version += 1;
  };

  const sendNow = (live) => {
    clearTimeout(pad.timer);
    pad.timer = 0;
    if (!pad.send || (live && pad.sent === pad.version)) return;
    pad.sent = pad.version;
    pad.waiting = live ? pad.version : 0;
    pad.lastSent = performance.now();
    pad.send("drawing", { strokes: pad.strokes.map((stroke) => stroke.slice()), live, n: pad.version });
  };

  // While the pen moves: a send once the last is read, SEND_EVERY ms after it and AFTER_ANSWER ms after its reading.
  const sendSoon = () => {
    const now = performance.now();
    if (pad.timer || (pad.waiting && now - pad.lastSent < NO_ANSWER)) return; // heard() calls again
    const due = Math.max(pad.lastSent + SEND_EVERY, pad.answered + AFTER_ANSWER);
    pad.timer = setTimeout(() => sendNow(true), Math.max(0, due - now));
  };

  pad.heard = (read) => {
    if (!pad.waiting || !(read >= pad.waiting)) return;
    pad.waiting = 0;
    pad.answered = performance.now();
    if (pad.pointer !== null && pad.sent !== pad.version) sendSoon();
  };

  const down = (event) => {
    if (pad.pointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    pad.pointer = event.pointerId;
    pad.box = canvas.getBoundingClientRect();
    pad.strokes.push([]);
    add(event, true);
    undo.disabled = clear.disabled = false;
  };

  const move = (event) => {
    if (event.pointerId !== pad.pointer) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) add(each, false);
    if (pad.sent !== pad.version) sendSoon();
  };

  const up = (event) => {
    if (event.pointerId !== pad.pointer) return;
    event.preventDefault();
    if (event.type === "pointerup") add(event, false);
    pad.pointer = null;
    sendNow(false);
  };

  const changed = () => {
    pad.version += 1;
    paint();
    sendNow(false);
  };

  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  canvas.addEventListener("lostpointercapture", up);
  // Older touch browsers scroll on touch events whatever the pointer events do; a long press opens no menu.
  const hold = (event) => event.preventDefault();
  canvas.addEventListener("touchstart", hold, { passive: false });
  canvas.addEventListener("touchmove", hold, { passive: false });
  canvas.addEventListener("contextmenu", hold);
  undo.addEventListener("click", () => {
    if (pad.pointer === null && pad.strokes.length) {
      pad.strokes.pop();
      changed();
    }
  });
  clear.addEventListener("click", () => {
    if (pad.pointer === null && pad.strokes.length) {
      pad.strokes = [];
      changed();
    }
  });

  const resized = new ResizeObserver(fit);
  resized.observe(host);
  window.addEventListener("resize", fit);
  fit();
  paint();

  // A drawing Python puts on the pad (a sample digit, an uploaded picture: dlplay/digits/samples.py), in the one
  // run after it was asked for, once per id: it replaces what is drawn and is sent as if just drawn, so Undo,
  // Clear and the reading treat it as any drawing. Not while a stroke is being drawn. The focus goes to Undo: the
  // control that asked for it is drawn again by the page's next run (and loses the focus), the pad is kept.
  pad.put = (put) => {
    if (!put || put.id === pad.putId || !Array.isArray(put.strokes) || pad.pointer !== null) return;
    pad.putId = put.id;
    pad.strokes = put.strokes.map((stroke) => stroke.slice());
    changed();
    undo.focus();
  };

  pad.label = (data) => {
    canvas.setAttribute("aria-label", data.canvas || "");
    canvas.setAttribute("role", "img");
    undo.querySelector(".label").textContent = data.undo || "Undo";
    clear.querySelector(".label").textContent = data.clear || "Clear";
  };
  pad.destroy = () => {
    clearTimeout(pad.timer);
    resized.disconnect();
    window.removeEventListener("resize", fit);
  };
  return pad;
}
