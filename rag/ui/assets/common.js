// Shared by the page's scripts (each component's js_on_load starts with STRINGS and this file).
// window.RAG holds what they share: the script of the latest question and the task queue the
// composer runs one task at a time (a question to ask, or a kept chat to open).
const RAG = window.RAG || (window.RAG = { script: 'latin', tasks: [], busy: false, runner: null });

const say = (key, values = {}) => {
  const table = STRINGS[RAG.script] || STRINGS.latin;
  let text = table[key] ?? STRINGS.latin[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.replace(`{${name}}`, value);
  return text;
};

const relabel = (root) => {
  root.querySelectorAll('[data-i18n]').forEach((e) => {
    e.textContent = say(e.dataset.i18n, e.dataset.i18nValues ? JSON.parse(e.dataset.i18nValues) : {});
  });
  root.querySelectorAll('[data-i18n-label]').forEach((e) => {
    const text = say(e.dataset.i18nLabel);
    e.setAttribute('aria-label', text);
    e.title = text;
  });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((e) => {
    e.placeholder = say(e.dataset.i18nPlaceholder);
  });
};

const emit = (name, detail = {}) => document.dispatchEvent(new CustomEvent(name, { detail }));
const listen = (name, handler) => document.addEventListener(name, (e) => handler(e.detail || {}));
const isPhone = () => window.matchMedia('(max-width: 900px)').matches;

if (!RAG.enqueue) {
  RAG.enqueue = (task) => { RAG.tasks.push(task); emit('rag:queue'); RAG.pump(); };
  RAG.pump = () => {
    if (RAG.busy || !RAG.runner || !RAG.tasks.length) return;
    RAG.busy = true;
    RAG.current = RAG.tasks.shift();
    emit('rag:queue');
    RAG.runner(RAG.current);
  };
  document.addEventListener('rag:settled', () => {
    const task = RAG.current;
    RAG.busy = false;
    RAG.current = null;
    emit('rag:done', { task });
    RAG.pump();
  });
}
