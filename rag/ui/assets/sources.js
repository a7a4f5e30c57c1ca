// The sources panel: shows the card a marker points at; on a phone it is a sheet over the chat
// with a way back to the answer; "View in context" opens the paragraph among its neighbours.
const pane = element.closest('#rag-sources') || element;  // the scrolling box around the panel
let lastMarker = null;

const openSheet = (open) => {
  document.body.classList.toggle('rag-sheet-open', open);
  if (open) pane.scrollTop = 0;
};

listen('rag:show-source', ({ turn, n, marker }) => {
  lastMarker = marker || null;
  element.querySelectorAll('.rag-src-turn').forEach((g) => g.classList.toggle('is-active', g.dataset.turn === turn));
  element.querySelectorAll('.rag-src.is-focused').forEach((c) => c.classList.remove('is-focused'));
  const card = element.querySelector(`.rag-src[data-turn="${turn}"][data-n="${n}"]`);
  if (isPhone()) openSheet(true);
  if (!card) return;
  card.classList.add('is-focused');
  card.scrollIntoView({ behavior: isPhone() ? 'auto' : 'smooth', block: 'nearest' });
});

const back = () => {
  openSheet(false);
  emit('rag:back-to', { marker: lastMarker });
};

// View in context: a reader over the page, filled by the server's `context` function.
const reader = document.createElement('div');
reader.className = 'rag-reader';
reader.hidden = true;
reader.innerHTML = '<div class="rag-reader-panel" role="dialog" aria-modal="true">'
  + '<button type="button" class="rag-close" data-act="close-reader">'
  + '<svg class="rag-ico" aria-hidden="true"><use href="#rag-i-close"></use></svg></button>'
  + '<div class="rag-reader-body"></div></div>';
document.body.append(reader);
const readerBody = reader.querySelector('.rag-reader-body');
let reading = null;  // [source, first, last, radius]

const showContext = async (source, first, last, radius) => {
  reading = [source, first, last, radius];
  const close = reader.querySelector('[data-act="close-reader"]');
  close.setAttribute('aria-label', say('close'));
  close.title = say('close');
  reader.hidden = false;
  try {
    readerBody.innerHTML = await server.context(source, first, last, radius, RAG.script);
  } catch (error) {
    readerBody.textContent = String(error?.message || error);
  }
  readerBody.querySelector('.rag-ctx-p.is-cited')?.scrollIntoView({ block: 'center' });
  close.focus({ preventScroll: true });
};

reader.addEventListener('click', (event) => {
  const button = event.target.closest('[data-act]');
  if (event.target === reader || button?.dataset.act === 'close-reader') { reader.hidden = true; return; }
  if (button && reading && button.dataset.act.startsWith('more-')) {
    const [source, first, last, radius] = reading;
    showContext(source, first, last, radius + 3);
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  if (!reader.hidden) reader.hidden = true;
  else if (document.body.classList.contains('rag-sheet-open')) back();
});

element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-act]');
  if (!button) return;
  if (button.dataset.act === 'back') back();
  if (button.dataset.act === 'context') {
    const { source, first, last } = button.dataset;
    showContext(source, Number(first), Number(last), 2);
  }
});

watch('value', () => { if (isPhone() && !element.querySelector('.rag-src')) openSheet(false); });
listen('rag:lang', () => relabel(element));
