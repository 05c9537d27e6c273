// Keeps what the server asks for in this browser's cookies, for its next session to read (st.context.cookies):
// a teacher's key of a class survives a reload, a second tab, the back button and a server restart, and never
// stands in the address bar a projector shows. Each cookie: [name, value, max-age in seconds; 0 deletes it].

export default function ({ data }) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  for (const [name, value, maxAge] of (data && data.cookies) || []) {
    document.cookie = `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; SameSite=Strict${secure}`;
  }
}
