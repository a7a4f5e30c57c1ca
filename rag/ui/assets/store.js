// Keeps conversations in this browser (localStorage): the active one is saved whenever the
// server sends its records (this component's value), reopened on a reload, and listed in the
// Chats drawer. New chat asks first. Only data is kept; the server renders it again.
const INDEX_KEY = 'rag-chats';
const ACTIVE_KEY = 'rag-active';
const chatKey = (id) => `rag-chat:${id}`;
const MAX_CHATS = 50;

const read = (key, fallback) => {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
};
const write = (key, value) => {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* full or disabled: keep going */ }
};
const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let active = localStorage.getItem(ACTIVE_KEY) || newId();
let current = [];

const chats = () => read(INDEX_KEY, []).filter((c) => c && typeof c.id === 'string');

const save = (records) => {
  current = Array.isArray(records) ? records : [];
  localStorage.setItem(ACTIVE_KEY, active);
  if (!current.length) return;
  write(chatKey(active), current);
  const first = current.find((r) => r && r.question) || {};
  const rest = chats().filter((c) => c.id !== active);
  const entry = { id: active, title: String(first.question || '').slice(0, 80), updated: Date.now(),
    turns: current.length };
  const kept = [entry, ...rest];
  kept.slice(MAX_CHATS).forEach((c) => localStorage.removeItem(chatKey(c.id)));
  write(INDEX_KEY, kept.slice(0, MAX_CHATS));
  showList();
};

const confirmBox = document.querySelector('#rag-confirm');
const ask = (text) => new Promise((resolve) => {
  confirmBox.querySelector('#rag-confirm-text').textContent = text;
  confirmBox.hidden = false;
  const yes = confirmBox.querySelector('[data-answer="yes"]');
  yes.focus();
  const done = (event) => {
    const button = event.target.closest('[data-answer]');
    if (!button && event.target !== confirmBox) return;
    confirmBox.hidden = true;
    confirmBox.removeEventListener('click', done);
    resolve(button ? button.dataset.answer === 'yes' : false);
  };
  confirmBox.addEventListener('click', done);
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  if (!confirmBox.hidden) confirmBox.querySelector('[data-answer="no"]').click();
  else if (!drawer.hidden) emit('rag:drawer', { open: false });
});

const drawer = document.querySelector('#rag-drawer');
const showList = () => {
  const list = drawer.querySelector('.rag-chat-list');
  list.replaceChildren();
  const all = chats();
  drawer.querySelector('.rag-chat-none').hidden = all.length > 0;
  for (const chat of all) {
    const item = document.createElement('li');
    item.className = chat.id === active ? 'rag-chat-item is-active' : 'rag-chat-item';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'rag-chat-open';
    open.dataset.id = chat.id;
    const title = document.createElement('span');
    title.textContent = chat.title || '…';
    const when = document.createElement('small');
    when.textContent = new Date(chat.updated || 0).toLocaleString();
    open.append(title, when);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'rag-chat-delete';
    remove.dataset.id = chat.id;
    remove.title = say('delete_chat');
    remove.setAttribute('aria-label', say('delete_chat'));
    remove.innerHTML = '<svg class="rag-ico" aria-hidden="true"><use href="#rag-i-trash"></use></svg>';
    item.append(open, remove);
    list.append(item);
  }
};

const openChat = (id, records) => RAG.enqueue({ kind: 'open', id, records });

drawer.addEventListener('click', async (event) => {
  const open = event.target.closest('.rag-chat-open');
  const remove = event.target.closest('.rag-chat-delete');
  if (open) {
    emit('rag:drawer', { open: false });
    if (open.dataset.id !== active) openChat(open.dataset.id, read(chatKey(open.dataset.id), []));
  } else if (remove && await ask(say('confirm_delete'))) {
    localStorage.removeItem(chatKey(remove.dataset.id));
    write(INDEX_KEY, chats().filter((c) => c.id !== remove.dataset.id));
    if (remove.dataset.id === active) openChat(newId(), []);
    showList();
  }
});

listen('rag:drawer', ({ open }) => {
  drawer.hidden = !open;
  if (open) { showList(); drawer.querySelector('.rag-close').focus(); }
});
listen('rag:new-chat', async () => {
  const busy = RAG.busy || RAG.tasks.length;
  if (!current.length && !busy) return;
  if (await ask(say('confirm_new'))) openChat(newId(), []);
});
listen('rag:lang', () => { relabel(drawer); relabel(confirmBox); });

RAG.activate = (id) => { active = id; localStorage.setItem(ACTIVE_KEY, id); showList(); };

watch('value', () => {
  try { save(JSON.parse(props.value)); } catch { /* not ours */ }
});

const kept = read(chatKey(active), []);
if (Array.isArray(kept) && kept.length) openChat(active, kept);
showList();
