// Sets <html lang> to the page's language (Streamlit writes lang="en" on every page): a screen reader picks
// its voice by it, and a browser its fonts and hyphenation.

export default function ({ data }) {
  const lang = data && data.lang;
  if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
}
