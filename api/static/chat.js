// Minimal streaming chat: sign in (local identity provider), then one thread per page load.
const log = document.getElementById("log");
const form = document.getElementById("f");
const input = document.getElementById("m");
const authForm = document.getElementById("auth");
let threadId = null;
let token = sessionStorage.getItem("token");

function headers() {
  return { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
}

function showChat() {
  authForm.hidden = true;
  document.getElementById("chat").hidden = false;
  input.focus();
}

authForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const mode = e.submitter?.value === "signup" ? "signup" : "login";
  const body = JSON.stringify({
    email: document.getElementById("email").value,
    password: document.getElementById("password").value,
  });
  const r = await fetch(`/v1/auth/${mode}`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const data = await r.json();
  if (!r.ok) { document.getElementById("auth-error").textContent = data.detail; return; }
  token = data.access_token;
  sessionStorage.setItem("token", token);
  showChat();
});
if (token) showChat();

async function ensureThread() {
  if (threadId) return threadId;
  const r = await fetch("/v1/threads", { method: "POST", headers: headers(), body: "{}" });
  if (r.status === 401) { sessionStorage.removeItem("token"); location.reload(); }
  threadId = (await r.json()).thread_id;
  return threadId;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  log.textContent += `\nYou: ${text}\nAdvisor: `;
  const id = await ensureThread();
  const r = await fetch(`/v1/chat/${id}`, {
    method: "POST", headers: headers(), body: JSON.stringify({ message: text }),
  });
  if (!r.ok) { log.textContent += (await r.json()).detail + "\n"; return; }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let idx;
    while ((idx = buf.indexOf("\r\n\r\n")) >= 0 || (idx = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, idx); buf = buf.slice(idx + (buf[idx] === "\r" ? 4 : 2));
      const ev = /event: (.*)/.exec(block)?.[1]?.trim();
      const data = /data: (.*)/.exec(block)?.[1];
      if (ev === "token") log.textContent += JSON.parse(data).text;
      if (ev === "error") log.textContent += JSON.parse(data).detail;
    }
  }
  log.textContent += "\n";
});
