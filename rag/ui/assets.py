"""The chat page's stylesheet and its one script. Data, kept out of the wiring.

The CSS ships inside the page (a <style> in the header HTML) rather than through
`launch(css=...)`, so the app looks the same however it is launched, tests included.
"""

from __future__ import annotations

STYLE = """
:root { --rag-ink:#1c2430; --rag-muted:#5b6675; --rag-line:#e3e7ee; --rag-soft:#f6f8fb;
  --rag-card:#ffffff; --rag-accent:#0f6b5c; --rag-accent-soft:#d6eee7; --rag-mark:#ffe9a8;
  --rag-warn:#8a5a00; --rag-warn-soft:#fff6e0; --rag-err:#a12622; --rag-err-soft:#fdecea; }
.dark { --rag-ink:#e7ebf0; --rag-muted:#a2acb8; --rag-line:#2c3440; --rag-soft:#161b22;
  --rag-card:#1d232c; --rag-accent:#5cc3ad; --rag-accent-soft:#17322d; --rag-mark:#6b5517;
  --rag-warn:#f0c060; --rag-warn-soft:#2e2612; --rag-err:#ff8f88; --rag-err-soft:#3a1816; }
.gradio-container { max-width: 1480px !important; margin: 0 auto !important;
  --button-primary-background-fill: var(--rag-accent);
  --button-primary-background-fill-hover: #0b574b;
  --button-primary-border-color: var(--rag-accent); --button-primary-text-color: #fff;
  --color-accent: var(--rag-accent); --color-accent-soft: var(--rag-accent-soft);
  --input-border-color-focus: var(--rag-accent); }
.gradio-container .prose :is(h1, h2, h3, p) { color: inherit; }
.rag-header { display:flex; align-items:center; justify-content:space-between; gap:16px;
  flex-wrap:wrap; padding:4px 2px 2px; color:var(--rag-ink); }
.rag-brand { display:flex; align-items:center; gap:12px; }
.rag-brand h1 { font-size:1.35rem; margin:0; font-weight:650; letter-spacing:-0.01em; }
.rag-brand p { margin:2px 0 0; color:var(--rag-muted); font-size:.9rem; }
.rag-logo { display:grid; place-items:center; width:38px; height:38px; border-radius:10px;
  background:var(--rag-accent); color:#fff; font-size:1.3rem; font-weight:700; }
.rag-status { margin:0; font-size:.85rem; color:var(--rag-muted); background:var(--rag-soft);
  border:1px solid var(--rag-line); border-radius:999px; padding:5px 12px; }
.rag-status strong { color:var(--rag-ink); font-weight:600; }
.rag-dot { display:inline-block; width:8px; height:8px; border-radius:50%; margin-right:7px;
  background:#7c8794; vertical-align:middle; }
.rag-dot-llm { background:#6d5bd0; } .rag-dot-extractive { background:var(--rag-accent); }
#rag-chat, #rag-sources { height: calc(100vh - 290px); min-height: 400px;
  overflow-y:auto !important;
  border:1px solid var(--rag-line) !important; border-radius:14px !important; }
#rag-sources { height: calc(100vh - 170px); }
#rag-chat { background:var(--rag-card); padding:18px 20px; }
#rag-sources { background:var(--rag-soft); padding:14px 16px; scroll-behavior:smooth; }
.rag-log { display:flex; flex-direction:column; gap:18px; color:var(--rag-ink); }
.rag-welcome { margin:auto; max-width:560px; text-align:center; color:var(--rag-muted);
  padding:48px 8px; }
.rag-welcome h2 { color:var(--rag-ink); font-size:1.2rem; margin:0 0 10px; }
.rag-welcome p { margin:6px 0; line-height:1.6; }
.rag-welcome .rag-welcome-try { margin-top:18px; font-size:.85rem; }
.rag-turn { display:flex; flex-direction:column; gap:10px; }
.rag-q { align-self:flex-end; max-width:80%; }
.rag-q p { margin:0; background:var(--rag-accent); color:#fff; padding:9px 14px;
  border-radius:16px 16px 4px 16px; white-space:pre-wrap; overflow-wrap:anywhere;
  line-height:1.5; }
.rag-a { display:flex; gap:10px; align-items:flex-start; max-width:92%; }
.rag-avatar { flex:none; display:grid; place-items:center; width:28px; height:28px;
  margin-top:2px;
  border-radius:8px; background:var(--rag-accent-soft); color:var(--rag-accent);
  font-weight:700; }
.rag-a-body { min-width:0; background:var(--rag-soft); border:1px solid var(--rag-line);
  border-radius:4px 16px 16px 16px; padding:10px 14px; line-height:1.65; }
.rag-answer p { margin:0 0 6px; } .rag-answer p:last-child { margin-bottom:0; }
.rag-answer ul { margin:0; padding-left:1.2em; } .rag-answer li { margin:3px 0; }
#rag-chat .rag-cite { display:inline-grid; place-items:center; min-width:1.35em; height:1.35em;
  padding:0 .3em;
  margin:0 1px 0 3px; border-radius:6px; border:1px solid transparent;
  background:var(--rag-accent-soft);
  color:var(--rag-accent); font-size:.72em; font-weight:700; line-height:1;
  vertical-align:.25em;
  cursor:pointer; transition:background .15s, color .15s; }
#rag-chat button.rag-cite:hover, #rag-chat button.rag-cite:focus-visible,
  #rag-chat .rag-cite.is-selected {
  background:var(--rag-accent); color:#fff; outline:none; }
#rag-chat .rag-cite.is-inert { cursor:default; opacity:.6; }
.rag-chips { display:flex; flex-direction:column; gap:5px; margin-top:10px; padding-top:9px;
  border-top:1px dashed var(--rag-line); }
.rag-chip-row { display:flex; flex-wrap:wrap; align-items:center; gap:5px; }
.rag-chip-title { font-size:.78rem; color:var(--rag-muted); margin-right:2px; max-width:100%;
  overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
#rag-chat .rag-chip.rag-cite { display:inline-flex; align-items:center; gap:4px; height:auto;
  margin:0;
  padding:2px 8px 2px 3px; font-size:.75rem; font-weight:600; vertical-align:baseline;
  background:var(--rag-card); color:var(--rag-accent); border:1px solid var(--rag-line);
  border-radius:999px; }
#rag-chat .rag-chip .rag-chip-n { display:grid; place-items:center; min-width:17px;
  height:17px; border-radius:50%;
  background:var(--rag-accent-soft); color:var(--rag-accent); font-weight:700; font-size:.7rem;
  }
#rag-chat .rag-chip.rag-cite:hover,
  #rag-chat .rag-chip.rag-cite.is-selected { border-color:var(--rag-accent);
  background:var(--rag-accent-soft); }
.rag-a.is-refused .rag-a-body { background:transparent; border-style:dashed;
  color:var(--rag-muted); }
.rag-a.is-refused .rag-avatar { background:var(--rag-soft); color:var(--rag-muted); }
.rag-refusal { margin:0; display:flex; gap:8px; align-items:center; }
.rag-refusal-icon { font-weight:700; opacity:.7; }
.rag-notice { margin:8px 0 0; padding:7px 11px; border-radius:9px; font-size:.9rem;
  line-height:1.45; }
.rag-notice.is-warning { background:var(--rag-warn-soft); color:var(--rag-warn); }
.rag-notice.is-error { align-self:flex-start; background:var(--rag-err-soft);
  color:var(--rag-err); margin:0; }
.rag-flagged { background:var(--rag-warn-soft); text-decoration:underline wavy var(--rag-warn);
  text-decoration-thickness:1px; text-underline-offset:3px; }
.rag-thinking { margin:0; color:var(--rag-muted); }
.rag-thinking i { font-style:normal; animation:rag-blink 1.2s infinite; }
.rag-thinking i:nth-child(2) { animation-delay:.2s;
  } .rag-thinking i:nth-child(3) { animation-delay:.4s; }
.rag-caret { display:inline-block; width:7px; height:1em; background:var(--rag-accent);
  vertical-align:text-bottom; animation:rag-blink 1s infinite; }
@keyframes rag-blink { 50% { opacity:.15; } }
.rag-sources { color:var(--rag-ink); }
.rag-src-head { font-size:.78rem; text-transform:uppercase; letter-spacing:.08em;
  color:var(--rag-muted);
  margin:2px 0 10px; font-weight:650; }
.rag-src-empty { color:var(--rag-muted); line-height:1.6; margin:6px 0; padding:14px 16px;
  border:1px dashed var(--rag-line); border-radius:12px; background:var(--rag-card); }
.rag-src-turn { display:none; } .rag-src-turn.is-active { display:block; }
.rag-src-for { margin:0 0 10px; font-size:.85rem; color:var(--rag-muted); }
.rag-src { background:var(--rag-card); border:1px solid var(--rag-line); border-radius:12px;
  padding:12px 14px; margin-bottom:12px; transition:box-shadow .2s, border-color .2s;
  scroll-margin:12px; }
.rag-src.is-focused { border-color:var(--rag-accent);
  box-shadow:0 0 0 3px var(--rag-accent-soft); }
.rag-src header { display:flex; gap:10px; align-items:flex-start; }
.rag-src-n { flex:none; display:grid; place-items:center; width:24px; height:24px;
  border-radius:7px;
  background:var(--rag-accent); color:#fff; font-size:.8rem; font-weight:700; }
.rag-src h3 { margin:0; font-size:.93rem; font-weight:620; line-height:1.35; }
.rag-src-meta { margin:3px 0 0; font-size:.78rem; color:var(--rag-muted); }
.rag-src-meta code { font-size:.76rem; background:var(--rag-soft); padding:1px 5px;
  border-radius:5px; }
.rag-src blockquote { margin:10px 0 0; padding:0 0 0 12px;
  border-left:3px solid var(--rag-line);
  font-size:.9rem; line-height:1.7; color:var(--rag-ink); overflow-wrap:anywhere; }
.rag-src mark { background:var(--rag-mark); color:inherit; padding:1px 2px; border-radius:3px; }
.rag-twin { margin-top:10px; font-size:.85rem; }
.rag-twin summary { cursor:pointer; color:var(--rag-accent); font-weight:600; }
.rag-twin p { margin:6px 0 0; padding-left:12px; border-left:3px solid var(--rag-accent-soft);
  color:var(--rag-muted); line-height:1.7; }
#rag-tools { gap:6px 8px; flex-wrap:wrap; align-items:center; }
#rag-tools button { flex:0 1 auto; min-width:0; width:auto; font-weight:500; font-size:.78rem;
  border-radius:999px; padding:4px 10px; white-space:nowrap; overflow:hidden;
  text-overflow:ellipsis; display:block; }
#rag-new, #rag-send { white-space:nowrap; font-size:.95rem; }
#rag-new { font-weight:500; }
@media (max-width: 900px) { #rag-chat, #rag-sources { height:auto; max-height:70vh; } }
"""

MARKER_JS = """
element.addEventListener('click', (event) => {
  const marker = event.target.closest('button.rag-cite');
  if (!marker || !element.contains(marker)) return;
  event.preventDefault();
  const turn = marker.dataset.turn, n = marker.dataset.n;
  const panel = document.querySelector('#rag-sources');
  if (!panel) return;
  panel.querySelectorAll('.rag-src-turn').forEach(
    (g) => g.classList.toggle('is-active', g.dataset.turn === turn));
  panel.querySelectorAll('.rag-src.is-focused').forEach((c) => c.classList.remove('is-focused'));
  element.querySelectorAll('.rag-cite.is-selected').forEach(
    (b) => b.classList.remove('is-selected'));
  element.querySelectorAll(`.rag-cite[data-turn="${turn}"][data-n="${n}"]`).forEach(
    (b) => b.classList.add('is-selected'));
  const card = panel.querySelector(`.rag-src[data-turn="${turn}"][data-n="${n}"]`);
  if (!card) return;
  card.classList.add('is-focused');
  card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
});
"""
