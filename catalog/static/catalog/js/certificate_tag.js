// The sheet's "Print" button (no inline handler: the Content-Security-Policy forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
