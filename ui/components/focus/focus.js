// Moves the keyboard's focus to an element of the page once per token, when an action removed the control that had
// it. The element may be drawn a moment after this runs (the same script run), so it is looked for on each frame for
// up to 3 s. An element that takes no focus of its own gets tabindex="-1", which lets a script focus it without
// adding it to the Tab order; a screen reader then reads it.

const LOOK_FOR_MS = 3000;

export default function ({ data }) {
  if (!data || !data.selector || window.dlplayFocusToken === data.token) return;
  window.dlplayFocusToken = data.token;
  const until = performance.now() + LOOK_FOR_MS;
  const look = () => {
    const target = document.querySelector(data.selector);
    if (target) {
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    } else if (performance.now() < until) {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
}
