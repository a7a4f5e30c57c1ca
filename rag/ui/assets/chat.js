// The transcript: follows the conversation, opens a marker's source, previews it on hover,
// and runs the buttons under an answer (copy, ask again, edit, thumbs up/down with a comment).
const pane = element.closest('#rag-chat') || element;  // the scrolling box around the transcript
let turns = 0;
let stick = true;        // the reader is at the newest turn: keep following it
const votes = new Map(); // turn -> rating, shown again after each render

pane.addEventListener('scroll', () => {
  stick = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
}, { passive: true });

const follow = (added) => {
  const last = element.querySelector('.rag-turn:last-of-type');
  if (!last) { pane.scrollTop = 0; return; }
  if (!added && !stick) return;
  const top = last.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  const fits = last.offsetHeight <= pane.clientHeight - 16;
  pane.scrollTop = fits ? pane.scrollHeight : top - 8;
  stick = true;
};

const rendered = () => {
  const log = element.querySelector('.rag-log');
  const count = element.querySelectorAll('.rag-turn').length;
  if (count < turns || count === 0) votes.clear();
  const script = log?.dataset.script || 'latin';
  if (script !== RAG.script || count === 0) { RAG.script = script; emit('rag:lang', { script }); }
  for (const [turn, rating] of votes) pressVote(turn, rating);
  follow(count > turns);
  turns = count;
};

const turnOf = (node) => node.closest('.rag-turn');
const questionOf = (turn) => turn.querySelector('.rag-q p')?.textContent || '';
const sayIn = (turn, key, values) => {
  const keep = RAG.script;
  RAG.script = turn.dataset.script || keep;
  const text = say(key, values);
  RAG.script = keep;
  return text;
};

// Markers and chips ----------------------------------------------------------------------------
const showSource = (marker) => {
  element.querySelectorAll('.rag-cite.is-selected').forEach((b) => b.classList.remove('is-selected'));
  const { turn, n } = marker.dataset;
  element.querySelectorAll(`.rag-cite[data-turn="${turn}"][data-n="${n}"]`).forEach((b) => b.classList.add('is-selected'));
  hidePreview();
  emit('rag:show-source', { turn, n, marker });
};

// Hover preview: the quoted sentence of the marker's source card, as text.
const preview = document.createElement('div');
preview.className = 'rag-preview';
preview.setAttribute('role', 'tooltip');
preview.id = 'rag-preview';
preview.hidden = true;
document.body.append(preview);

const card = (marker) => document.querySelector(
  `#rag-sources .rag-src[data-turn="${marker.dataset.turn}"][data-n="${marker.dataset.n}"]`);

const showPreview = (marker) => {
  const source = card(marker);
  if (!source) return;
  const quoted = [...source.querySelectorAll('blockquote mark')].map((m) => m.textContent).join(' … ');
  const text = quoted || source.querySelector('blockquote')?.textContent || '';
  const title = document.createElement('strong');
  title.textContent = source.querySelector('h3')?.textContent || '';
  const meta = document.createElement('small');
  meta.textContent = source.querySelector('.rag-src-meta')?.textContent || '';
  const body = document.createElement('q');
  body.textContent = text.length > 320 ? `${text.slice(0, 319)}…` : text;
  preview.replaceChildren(title, meta, body);
  preview.hidden = false;
  const at = marker.getBoundingClientRect();
  const width = Math.min(360, window.innerWidth - 16);
  preview.style.width = `${width}px`;
  preview.style.left = `${Math.max(8, Math.min(at.left - 12, window.innerWidth - width - 8))}px`;
  const below = at.bottom + 8 + preview.offsetHeight < window.innerHeight;
  preview.style.top = `${below ? at.bottom + 8 : Math.max(8, at.top - preview.offsetHeight - 8)}px`;
  marker.setAttribute('aria-describedby', 'rag-preview');
};
const hidePreview = () => { preview.hidden = true; };

element.addEventListener('pointerover', (event) => {
  const marker = event.target.closest('.rag-answer .rag-cite[data-n], .rag-notice .rag-cite[data-n]');
  if (marker && event.pointerType !== 'touch') showPreview(marker);
});
element.addEventListener('pointerout', (event) => {
  if (event.target.closest('.rag-cite')) hidePreview();
});
element.addEventListener('focusin', (event) => {
  const marker = event.target.closest('.rag-answer .rag-cite[data-n]');
  if (marker) showPreview(marker);
});
element.addEventListener('focusout', hidePreview);
pane.addEventListener('scroll', hidePreview, { passive: true });

// Buttons under an answer --------------------------------------------------------------------
const copyAnswer = async (button) => {
  const text = turnOf(button).querySelector('.rag-copy-text')?.value || '';
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const scratch = document.createElement('textarea');
    scratch.value = text;
    document.body.append(scratch);
    scratch.select();
    document.execCommand('copy');
    scratch.remove();
  }
  const label = button.querySelector('span');
  button.classList.add('is-done');
  button.querySelector('use').setAttribute('href', '#rag-i-check');
  if (label) label.textContent = sayIn(turnOf(button), 'copied');
  setTimeout(() => {
    button.classList.remove('is-done');
    button.querySelector('use').setAttribute('href', '#rag-i-copy');
    if (label) label.textContent = sayIn(turnOf(button), 'copy');
  }, 1800);
};

const pressVote = (turn, rating) => {
  const section = element.querySelector(`.rag-turn[data-turn="${turn}"]`);
  section?.querySelectorAll('[data-act="up"], [data-act="down"]').forEach((b) => {
    b.setAttribute('aria-pressed', String(b.dataset.act === rating));
  });
};

const vote = (button) => {
  const section = turnOf(button);
  const turn = Number(section.dataset.turn);
  const rating = button.dataset.act;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  votes.set(turn, rating);
  pressVote(turn, rating);
  trigger('like', { turn, rating, comment: '', id });
  section.querySelector('.rag-feedback')?.remove();
  const form = document.createElement('form');
  form.className = 'rag-feedback';
  const note = document.createElement('textarea');
  note.rows = 2;
  note.maxLength = 2000;
  note.placeholder = sayIn(section, 'feedback_prompt');
  note.setAttribute('aria-label', note.placeholder);
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'rag-btn';
  submit.textContent = sayIn(section, 'feedback_send');
  form.append(note, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (note.value.trim()) trigger('like', { turn, rating, comment: note.value, id });
    const thanks = document.createElement('p');
    thanks.className = 'rag-feedback-thanks';
    thanks.textContent = sayIn(section, 'feedback_thanks');
    form.replaceWith(thanks);
  });
  button.closest('.rag-actions').after(form);
  note.focus();
};

element.addEventListener('click', (event) => {
  const marker = event.target.closest('.rag-cite[data-n]');
  if (marker) { event.preventDefault(); showSource(marker); return; }
  const asking = event.target.closest('[data-ask]');
  if (asking) { emit('rag:ask', { questions: JSON.parse(asking.dataset.ask) }); return; }
  const button = event.target.closest('[data-act]');
  if (!button) return;
  const section = turnOf(button);
  const turn = Number(section.dataset.turn);
  const act = button.dataset.act;
  if (act === 'copy') copyAnswer(button);
  else if (act === 'retry') emit('rag:ask', { questions: [questionOf(section)], replace: turn });
  else if (act === 'edit') emit('rag:edit', { question: questionOf(section), turn });
  else if (act === 'up' || act === 'down') vote(button);
  else if (act === 'sources') {
    const first = section.querySelector('.rag-chip.rag-cite');
    if (first) showSource(first);
  }
});

listen('rag:back-to', ({ marker }) => {
  if (marker && element.contains(marker)) {
    marker.scrollIntoView({ block: 'center' });
    marker.focus({ preventScroll: true });
  }
});

watch('value', rendered);
rendered();
