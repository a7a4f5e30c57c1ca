// The question box. Ask is disabled while the box is empty; a counter shows near the limit.
// Every question (typed, an example, a suggestion, Ask again) joins RAG's queue, so one typed
// while another is answered waits its turn instead of vanishing. The composer runs the queue:
// it triggers this component's events, and the server's reply ends with 'rag:settled'.
const form = element.querySelector('form');
const box = form.querySelector('textarea');
const send = form.querySelector('#rag-send');
const counter = form.querySelector('.rag-counter');
const queueList = form.querySelector('.rag-queue');
const editing = form.querySelector('.rag-editing');
const MAX = Number(form.dataset.max);
const COUNTER_FROM = Number(form.dataset.counterFrom);
let replace = null;   // the turn an edited question replaces

const update = () => {
  const n = box.value.length;
  send.disabled = !box.value.trim();
  counter.hidden = n < COUNTER_FROM;
  counter.classList.toggle('is-over', n > MAX);
  counter.textContent = say(n > MAX ? 'too_long' : 'chars', { n: n.toLocaleString('en'), max: MAX.toLocaleString('en') });
  box.style.height = 'auto';
  box.style.height = `${Math.min(box.scrollHeight, 180)}px`;
};

const showQueue = () => {
  const waiting = RAG.tasks.filter((t) => t.kind === 'ask');
  queueList.hidden = !waiting.length;
  queueList.replaceChildren(...waiting.map((task) => {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.className = 'rag-queue-label';
    label.textContent = say('queued');
    const text = document.createElement('span');
    text.textContent = task.question;
    item.append(label, text);
    return item;
  }));
};

const stopEditing = () => { replace = null; editing.hidden = true; };

const submit = () => {
  const question = box.value;
  if (!question.trim()) return;
  RAG.enqueue({ kind: 'ask', question, replace });
  box.value = '';
  stopEditing();
  update();
  box.focus();
};

form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
box.addEventListener('input', update);
box.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(); }
  if (event.key === 'Escape' && replace !== null) { stopEditing(); box.value = ''; update(); }
});
form.querySelector('[data-act="cancel-edit"]').addEventListener('click', () => {
  stopEditing(); box.value = ''; update(); box.focus();
});

RAG.runner = (task) => {
  if (task.kind === 'open') {
    RAG.activate?.(task.id);
    trigger('select', { records: task.records });
  } else {
    trigger('submit', { question: task.question, replace: task.replace ?? null });
  }
};

listen('rag:ask', ({ questions = [], replace: from = null }) => {
  questions.forEach((question, k) => RAG.enqueue({ kind: 'ask', question, replace: k === 0 ? from : null }));
});
listen('rag:edit', ({ question, turn }) => {
  box.value = question;
  replace = turn;
  editing.hidden = false;
  update();
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});
listen('rag:queue', showQueue);
listen('rag:done', ({ task }) => {
  // A notice instead of an answer ("too long"): give the question back to be fixed.
  const last = document.querySelector('#rag-chat .rag-turn:last-of-type');
  if (task?.kind === 'ask' && last?.querySelector('.rag-notice.is-error') && !box.value) {
    box.value = task.question;
    update();
  }
  showQueue();
});
listen('rag:lang', () => { relabel(element); update(); });

update();
if (!isPhone()) box.focus({ preventScroll: true });  // a phone would open its keyboard over the page
RAG.pump();
