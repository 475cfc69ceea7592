// Web chat widget: talks to POST /api/chat, keeps a short history in localStorage so a worker who
// reopens the page sees the conversation, and polls for messages an officer sends later.
const log = document.getElementById('log');
const options = document.getElementById('options');
const form = document.getElementById('composer');
const input = document.getElementById('input');
const send = document.getElementById('send');

const STORE = 'ua-chat-v1';
const state = JSON.parse(localStorage.getItem(STORE) || 'null') || { userId: newId(), history: [] };
const params = new URLSearchParams(location.search);
if (params.get('userId')) state.userId = params.get('userId');

function newId() {
  return (
    crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)
  ).replace(/[^\w-]/g, '');
}

function save() {
  state.history = state.history.slice(-60);
  localStorage.setItem(STORE, JSON.stringify(state));
}

function citeText(c) {
  return `Điều ${c.article} (${c.lawId})`;
}

function render(entry) {
  const li = document.createElement('li');
  li.className = `msg msg--${entry.from}`;
  li.textContent = entry.text;
  if (entry.citations && entry.citations.length) {
    const cite = document.createElement('span');
    cite.className = 'msg__cite';
    cite.textContent = 'Căn cứ: ' + entry.citations.map(citeText).join('; ');
    li.appendChild(cite);
  }
  if (entry.links && entry.links.length) {
    const box = document.createElement('span');
    box.className = 'msg__links';
    for (const l of entry.links) {
      const a = document.createElement('a');
      a.href = l.url;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = l.title;
      box.appendChild(a);
    }
    li.appendChild(box);
  }
  log.appendChild(li);
  log.scrollTop = log.scrollHeight;
}

function showOptions(quickReplies) {
  options.replaceChildren();
  for (const q of quickReplies || []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = q.title;
    b.addEventListener('click', () => post({ text: q.title, payload: q.payload }));
    options.appendChild(b);
  }
}

function add(entry) {
  state.history.push(entry);
  save();
  render(entry);
}

function receive(messages) {
  for (const m of messages) add({ from: 'bot', text: m.text, citations: m.citations, links: m.links });
  const last = messages[messages.length - 1];
  if (messages.length) showOptions(last && last.quickReplies);
}

async function call(body, attempt = 0) {
  const res = await fetch('api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => null);
  if (res && res.ok) return res.json();
  // Same id on retry: the server answers a repeated message once.
  if (attempt < 2 && (!res || res.status >= 500)) {
    await new Promise((r) => setTimeout(r, 800 * (attempt + 1)));
    return call(body, attempt + 1);
  }
  const err = res ? await res.json().catch(() => ({})) : {};
  throw new Error(
    (err.error && err.error.message) || 'Không gửi được tin nhắn. Bạn kiểm tra mạng rồi thử lại nhé.',
  );
}

async function post({ text, payload, silent }) {
  if (!silent && text) add({ from: 'me', text });
  showOptions([]);
  send.disabled = true;
  const typing = document.createElement('li');
  typing.className = 'typing';
  typing.textContent = 'Trợ lý đang trả lời…';
  log.appendChild(typing);
  try {
    const body = { userId: state.userId, id: newId() };
    if (text) body.text = text;
    if (payload) body.payload = payload;
    const { messages } = await call(body);
    receive(messages);
  } catch (e) {
    const li = document.createElement('li');
    li.className = 'msg msg--error';
    li.textContent = e.message;
    log.appendChild(li);
  } finally {
    typing.remove();
    send.disabled = false;
    input.focus();
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  post({ text });
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});

async function poll() {
  try {
    const res = await fetch(`api/chat/updates?userId=${encodeURIComponent(state.userId)}`);
    if (res.ok) {
      const { messages } = await res.json();
      if (messages.length) receive(messages);
    }
  } catch {
    // offline: try again at the next tick
  }
}

for (const entry of state.history) render(entry);
if (state.history.length === 0) post({ payload: 'GET_STARTED', silent: true });
save();
setInterval(poll, 15000);
