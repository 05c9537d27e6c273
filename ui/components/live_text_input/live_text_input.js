// A text box that sends its text to Python after a short pause in typing, on Enter and when it loses
// focus, so the page follows the text as it is typed (st.text_input sends only on Enter or blur).
// Streamlit calls this function again whenever `data` changes, on the same element: the box is built
// once and kept, so typing is never interrupted by a rerun.
export default function ({ parentElement, data, setStateValue }) {
  let box = parentElement.querySelector(".live-input");
  if (!box) {
    box = build(parentElement, data);
  }
  const live = box.live;
  live.data = data;
  live.setStateValue = setStateValue;
  box.querySelector("label").textContent = data.label;
  live.input.placeholder = data.placeholder || "";
  if (data.revision !== live.revision) {  // Python put a text in the box (an example): show it, as sent
    if (live.revision !== undefined) live.input.value = live.sent = data.value || "";
    live.revision = data.revision;
  }
  showLength(live);
}

function build(parentElement, data) {
  const box = document.createElement("div");
  box.className = "live-input";
  const id = "live-input-" + Math.random().toString(36).slice(2);
  box.innerHTML = `<label for="${id}"></label><input id="${id}" type="text" autocomplete="off"
    spellcheck="false"><p class="too-long" role="status" aria-live="polite" hidden></p>`;
  parentElement.appendChild(box);
  const input = box.querySelector("input");
  input.value = data.value || "";
  const live = { input, message: box.querySelector(".too-long"), sent: input.value, timer: 0, composing: false };
  box.live = live;

  const send = () => {
    clearTimeout(live.timer);
    if (live.composing) return;
    // One character more than the limit is enough for Python to cut it and say so.
    const value = input.value.slice(0, live.data.max_chars + 1);
    if (value === live.sent) return;
    live.sent = value;
    live.setStateValue("value", value);
  };
  const later = () => {
    clearTimeout(live.timer);
    live.timer = setTimeout(send, live.data.pause_ms);
  };
  input.addEventListener("input", (event) => {
    showLength(live);
    // While an input method composes (pinyin before it becomes 汉字), the text is not yet the student's.
    if (!event.isComposing && !live.composing) later();
  });
  input.addEventListener("compositionstart", () => { live.composing = true; clearTimeout(live.timer); });
  input.addEventListener("compositionend", () => { live.composing = false; later(); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) send();
  });
  input.addEventListener("blur", () => { live.composing = false; send(); });
  return box;
}

function showLength(live) {
  const over = live.input.value.length > live.data.max_chars;
  live.message.hidden = !over;
  live.message.textContent = over ? live.data.too_long : "";
  live.input.setAttribute("aria-invalid", over ? "true" : "false");
}
