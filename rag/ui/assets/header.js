// The header: theme toggle (kept in localStorage), the chats drawer, New chat, labels.
const THEME_KEY = 'rag-theme';
const themeButton = element.querySelector('#rag-theme');

const showTheme = () => {
  const dark = document.body.classList.contains('dark');
  themeButton.querySelector('use').setAttribute('href', dark ? '#rag-i-sun' : '#rag-i-moon');
  themeButton.dataset.i18nLabel = dark ? 'theme_light' : 'theme_dark';
  themeButton.setAttribute('aria-pressed', String(dark));
  relabel(element);
};

const setTheme = (dark) => {
  document.body.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  showTheme();
};

const saved = localStorage.getItem(THEME_KEY);
if (saved) setTheme(saved === 'dark'); else showTheme();

element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-act]');
  if (!button) return;
  const act = button.dataset.act;
  if (act === 'theme') {
    const dark = !document.body.classList.contains('dark');
    localStorage.setItem(THEME_KEY, dark ? 'dark' : 'light');
    setTheme(dark);
  } else if (act === 'chats') {
    emit('rag:drawer', { open: true });
  } else if (act === 'new') {
    emit('rag:new-chat');
  } else if (act === 'close-drawer') {
    emit('rag:drawer', { open: false });
  }
});

element.querySelector('#rag-drawer').addEventListener('click', (event) => {
  if (event.target.id === 'rag-drawer') emit('rag:drawer', { open: false });
});

listen('rag:lang', () => relabel(element));
