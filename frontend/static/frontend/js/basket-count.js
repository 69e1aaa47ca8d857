// The basket's count next to "Basket" in the header. Pages are shared through the page cache, so the
// count comes from the basket_count cookie (config/personal_cookies.py), set when the basket changes.
(() => {
  const badge = document.querySelector("[data-basket-count]");
  const found = document.cookie.match(/(?:^|;\s*)basket_count=(\d{1,3})(?:;|$)/);
  if (!badge || !found || found[1] === "0") return;
  badge.textContent = `\u00a0(${found[1]})`;
  badge.hidden = false;
})();
