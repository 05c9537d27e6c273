// A polite live region of the document's own: a screen reader reads its text when it changes, after what it is
// reading. One per page, made once and kept across runs, so that Streamlit redrawing its elements announces
// nothing by itself. textContent only: the text is shown as text, never as HTML.

export default function ({ data }) {
  let region = document.getElementById("dlplay-announce");
  if (!region) {
    region = document.createElement("div");
    region.id = "dlplay-announce";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
      + "clip:rect(0 0 0 0);white-space:nowrap;border:0;";
    document.body.appendChild(region);
  }
  const text = (data && typeof data.text === "string") ? data.text : "";
  if (region.textContent !== text) region.textContent = text;
}
