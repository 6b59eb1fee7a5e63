/**
 * Inline script for report pages. Hovering or focusing an element with class
 * `pt` (a point, bar or line) shows its `<title>` text in a tooltip box
 * (#oicf-tip), marks it `.active`, and highlights its series: every element of
 * the same SVG with the same `data-series` gets `.hl`, the SVG gets `.focus`,
 * and CSS dims the rest. Plain ES5 so it runs anywhere; no network, no eval.
 */
export const HOVER_SCRIPT = `(function () {
  var tip = document.getElementById('oicf-tip');
  if (!tip) return;
  function clear() {
    var marked = document.querySelectorAll('svg.focus, .hl, .active');
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove('focus', 'hl', 'active');
    tip.hidden = true;
  }
  function show(pt, x, y) {
    clear();
    var svg = pt.closest('svg');
    var series = pt.getAttribute('data-series');
    if (svg && series !== null) {
      svg.classList.add('focus');
      var all = svg.querySelectorAll('[data-series]');
      for (var i = 0; i < all.length; i++) {
        if (all[i].getAttribute('data-series') === series) all[i].classList.add('hl');
      }
    }
    pt.classList.add('active');
    var title = pt.querySelector('title');
    tip.textContent = title ? title.textContent : '';
    tip.hidden = false;
    var maxX = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = Math.max(0, Math.min(x + 14, maxX)) + 'px';
    tip.style.top = (y + 16) + 'px';
  }
  function target(event) {
    var t = event.target;
    return t && t.closest ? t.closest('.pt') : null;
  }
  document.addEventListener('mouseover', function (event) {
    var pt = target(event);
    if (pt) show(pt, event.pageX, event.pageY);
    else if (!tip.hidden) clear();
  });
  document.addEventListener('focusin', function (event) {
    var pt = target(event);
    if (!pt) return;
    var box = pt.getBoundingClientRect();
    show(pt, box.right + window.scrollX, box.top + window.scrollY);
  });
  document.addEventListener('focusout', clear);
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') clear(); });
})();`;
