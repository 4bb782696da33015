// The skip link moves keyboard focus to the main content. Blazor's navigation handles same-page links by scrolling
// only, which leaves focus on the link; so this runs first (capture phase) and does what the browser would do.
window.addEventListener('click', event => {
  const link = event.target instanceof Element ? event.target.closest('a.skip-link') : null;
  const main = document.getElementById('main');
  if (!link || !main) return;
  event.preventDefault();
  event.stopPropagation();
  main.focus();
}, true);
