// Sets <html lang> to the page's language (Streamlit writes lang="en" on every page): a screen reader picks
// its voice by it, and a browser its fonts and hyphenation.
//
// On a page not in English, Streamlit's own English (its upload box, "Press Enter to apply", help and toolbar
// labels...) is said in the page's language: `data.chrome` holds [anchored pattern, translation] pairs from the
// catalogue. Only whole strings are rewritten, text and the attributes below, and only where the closest element
// with a data-testid is one of Streamlit's own (OWNERS), never in what a visitor or a page wrote. Back in English,
// what was rewritten is put back (React keeps a text it believes unchanged).

const OWNERS = new Set([
  "InputInstructions", "stFileUploaderDropzone", "stFileUploaderDropzoneInstructions", "stFileUploaderDropzoneInput",
  "stFileChip", "stFileChipDeleteBtn", "stTooltipHoverTarget", "stTooltipErrorContent", "stBaseButton-elementToolbar",
  "stSkipToContent", "stBaseButton-headerNoPadding", "stExpandSidebarButton", "stSidebarCollapseButton",
  "stSidebar", "stSidebarNav", "stSidebarNavViewButton", "stHeaderActionElements", "stSelectbox",
  "stNumberInputStepUp", "stNumberInputStepDown", "stStatusWidget", "stStatusWidgetRunningIcon",
  "stBaseButton-header", "stDataFrame", "stDataFrameResizable", "search-close-button", "search-result-area", "stDataFrameColumnMenu",
]);
// Streamlit draws these labels as Markdown: the upload box's button, a toolbar button's tooltip.
const MARKDOWN_HOSTS = "[data-testid=stFileUploaderDropzone], [data-testid=stTooltipContent]";
const ATTRIBUTES = ["aria-label", "title", "placeholder"];
const LONGEST = 200;

const state = window.dlplayChrome || (window.dlplayChrome = { key: null, rules: null, any: null, observer: null });

export default function ({ data }) {
  const lang = data && data.lang;
  if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
  const chrome = data && data.chrome;
  if (chrome && chrome.length) start(chrome);
  else if (state.rules) stop();
}

function start(chrome) {
  const key = JSON.stringify(chrome);
  if (state.key === key) return;
  state.key = key;
  state.rules = chrome.map(([pattern, replacement]) => [new RegExp(pattern), replacement]);
  state.any = new RegExp(chrome.map(([pattern]) => `(?:${pattern})`).join("|"));
  if (!state.observer) {
    state.observer = new MutationObserver(records => {
      for (const record of records) {
        if (record.type === "attributes") attribute(record.target, record.attributeName);
        else if (record.type === "characterData") text(record.target);
        else record.addedNodes.forEach(tree);
      }
    });
  }
  state.observer.observe(document.body, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  tree(document.body);
}

function stop() {
  state.observer.disconnect();
  state.key = state.rules = state.any = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    for (const [name, [english, translated]] of Object.entries(node.dlplayEnglish || {})) {
      if (name === "#text" && node.nodeValue === translated) node.nodeValue = english;
      else if (name !== "#text" && node.getAttribute(name) === translated) node.setAttribute(name, english);
    }
    delete node.dlplayEnglish;
  }
}

function tree(node) {
  if (node.nodeType === Node.TEXT_NODE) return text(node);
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  ATTRIBUTES.forEach(name => attribute(node, name));
  for (const element of node.querySelectorAll("[aria-label], [title], [placeholder]")) {
    ATTRIBUTES.forEach(name => attribute(element, name));
  }
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) text(walker.currentNode);
}

function text(node) {
  const translated = translation(node.nodeValue, node.parentElement);
  if (translated !== null) remember(node, "#text", node.nodeValue, translated).nodeValue = translated;
}

function attribute(element, name) {
  const value = element.getAttribute(name);
  const translated = value && translation(value, element);
  if (translated) remember(element, name, value, translated).setAttribute(name, translated);
}

function remember(node, name, english, translated) {
  node.dlplayEnglish = { ...node.dlplayEnglish, [name]: [english, translated] };
  return node;
}

// The value in the page's language, or null when it is not one of Streamlit's own strings in one of its places.
function translation(value, element) {
  const trimmed = value.trim();
  if (!state.rules || !trimmed || trimmed.length > LONGEST || !state.any.test(trimmed) || !owned(element)) return null;
  const [pattern, replacement] = state.rules.find(([pattern]) => pattern.test(trimmed));
  return value.replace(trimmed, () => trimmed.replace(pattern, replacement));
}

function owned(element) {
  let owner = element && element.closest("[data-testid]");
  if (owner && owner.dataset.testid === "stMarkdownContainer") {
    return Boolean(owner.parentElement && owner.parentElement.closest(MARKDOWN_HOSTS));
  }
  return Boolean(owner) && OWNERS.has(owner.dataset.testid);
}
