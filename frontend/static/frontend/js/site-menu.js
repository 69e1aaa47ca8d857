// Drawers built on <details data-wide-open> (the site menu, the search filters) open and close
// without JavaScript. This keeps them open on wide screens, where CSS hides their button, and
// closes them with Escape or a click elsewhere on a phone.
(() => {
  const drawers = document.querySelectorAll("details[data-wide-open]");
  if (!drawers.length || !window.matchMedia) return;
  const wide = window.matchMedia("(min-width: 60em)");
  const follow = () => drawers.forEach((drawer) => { drawer.open = wide.matches; });
  follow();
  wide.addEventListener("change", follow);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || wide.matches) return;
    drawers.forEach((drawer) => {
      if (drawer.open && drawer.contains(document.activeElement)) {
        drawer.open = false;
        drawer.querySelector("summary").focus();
      }
    });
  });
  const menu = document.querySelector(".site-menu");
  document.addEventListener("click", (event) => {
    if (menu && menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
  });
})();
