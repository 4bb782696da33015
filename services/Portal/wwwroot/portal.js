// Live pages (the overview, an indicator): when the server says the data changed (server-sent events on /live, with
// the data's version), fetch this page again and swap in its main content, keeping the reader's scroll position and
// keyboard focus. No reload. A page older than the announced version is asked again, briefly, until it is current.
(() => {
  const main = document.getElementById('main');
  if (!main || !main.hasAttribute('data-live-page') || !('EventSource' in window)) return;
  const versionOf = element => Number(element.getAttribute('data-version') || 0);
  let wanted = versionOf(main);
  let running = false;

  async function refresh() {
    if (running) return;
    running = true;
    try {
      for (let attempt = 0; attempt < 5 && versionOf(main) < wanted; attempt++) {
        if (attempt > 0) await new Promise(resolve => setTimeout(resolve, 500));
        const response = await fetch(location.href, { headers: { 'Accept': 'text/html' }, cache: 'no-store' });
        if (!response.ok) continue;
        const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('main');
        if (!next || versionOf(next) <= versionOf(main)) continue;
        swap(next);
      }
    } finally {
      running = false;
    }
  }

  function swap(next) {
    // Remember what had focus (by its address or id) to give focus back to its counterpart.
    const focused = main.contains(document.activeElement) ? document.activeElement : null;
    const key = focused && (focused.getAttribute('href') || (focused.id && '#' + focused.id));
    main.replaceChildren(...next.childNodes);
    main.setAttribute('data-version', next.getAttribute('data-version'));
    if (!key) return;
    const again = key.startsWith('#') ? document.getElementById(key.slice(1))
      : [...main.querySelectorAll('a[href]')].find(a => a.getAttribute('href') === key);
    if (again) again.focus({ preventScroll: true });
  }

  function announced(event) {
    wanted = Math.max(wanted, Number(event.data) || 0);
    refresh();
  }

  const source = new EventSource('/live');
  // On (re)connecting the server says its current version: a page that missed changes while cut off catches up.
  source.addEventListener('hello', event => { document.documentElement.setAttribute('data-live', 'true'); announced(event); });
  source.addEventListener('changed', announced);
  source.onerror = () => document.documentElement.removeAttribute('data-live');
})();
