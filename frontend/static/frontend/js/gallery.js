// Product photos, enlarged in a dialog: tap the photo to zoom to its full size and pan by scrolling
// (or dragging on a phone); the arrow keys go to the previous and next photo, Escape closes.
// Without JavaScript each photo is a plain link to its full-size file.
(() => {
  const gallery = document.querySelector("[data-gallery]");
  const template = gallery && gallery.querySelector(".gallery__dialog-template");
  if (!template || !window.HTMLDialogElement) return;
  const links = Array.from(gallery.querySelectorAll(".gallery__zoom"));
  const dialog = template.content.firstElementChild.cloneNode(true);
  document.body.append(dialog);
  const frame = dialog.querySelector(".lightbox__frame");
  const image = dialog.querySelector(".lightbox__image");
  const previous = dialog.querySelector(".lightbox__previous");
  const next = dialog.querySelector(".lightbox__next");
  let index = 0;
  let opener = null;

  const show = (position) => {
    index = (position + links.length) % links.length;
    const link = links[index];
    dialog.classList.remove("lightbox--zoomed");
    image.src = link.href;
    image.width = Number(link.dataset.zoomWidth) || 0;
    image.height = Number(link.dataset.zoomHeight) || 0;
    image.alt = link.querySelector("img").alt;
  };
  const toggleZoom = (event) => {
    const box = image.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width;
    const y = (event.clientY - box.top) / box.height;
    dialog.classList.toggle("lightbox--zoomed");
    if (dialog.classList.contains("lightbox--zoomed")) {
      // Keep the point that was tapped under the finger.
      frame.scrollLeft = x * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = y * frame.scrollHeight - frame.clientHeight / 2;
      if (getComputedStyle(frame).direction === "rtl") frame.scrollLeft -= frame.scrollWidth - frame.clientWidth;
    }
  };

  previous.hidden = next.hidden = links.length < 2;
  links.forEach((link, position) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      opener = link;
      show(position);
      dialog.showModal();
    });
  });
  image.addEventListener("click", toggleZoom);
  previous.addEventListener("click", () => show(index - 1));
  next.addEventListener("click", () => show(index + 1));
  dialog.querySelector(".lightbox__close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("keydown", (event) => {
    if (links.length < 2 || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    const forward = (event.key === "ArrowRight") !== (getComputedStyle(dialog).direction === "rtl");
    show(index + (forward ? 1 : -1));
  });
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
})();
