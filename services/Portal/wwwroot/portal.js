// Live pages (the overview, an indicator): when the server says the data changed (server-sent events on /live), fetch
// this page again and swap in its main content, keeping the reader's scroll position and keyboard focus. No reload.
(() => {
  const main = document.getElementById('main');
  if (!main || !main.hasAttribute('data-live-page') || !('EventSource' in window)) return;
  let refreshing = false;

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const response = await fetch(location.href, { headers: { 'Accept': 'text/html' }, cache: 'no-store' });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('main');
      if (!next || next.innerHTML === main.innerHTML) return;
      // Remember what had focus (by its address or id) to give focus back to its counterpart.
      const focused = main.contains(document.activeElement) ? document.activeElement : null;
      const key = focused && (focused.getAttribute('href') || (focused.id && '#' + focused.id));
      main.replaceChildren(...next.childNodes);
      if (key) {
        const again = key.startsWith('#') ? document.getElementById(key.slice(1))
          : [...main.querySelectorAll('a[href]')].find(a => a.getAttribute('href') === key);
        if (again) again.focus({ preventScroll: true });
      }
    } finally {
      refreshing = false;
    }
  }

  const source = new EventSource('/live');
  source.addEventListener('hello', () => document.documentElement.setAttribute('data-live', 'true'));
  source.addEventListener('changed', refresh);
  source.onerror = () => document.documentElement.removeAttribute('data-live');
})();
