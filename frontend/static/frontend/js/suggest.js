// Header search suggestions: titles offered as you type (the search works without this).
(() => {
  const input = document.getElementById("site-search-q");
  const list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch) return;
  let timer = null;
  let last = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.trim();
      if (text.length < 2 || text === last) return;
      last = text;
      try {
        const response = await fetch(`${input.dataset.suggestUrl}&q=${encodeURIComponent(text)}`);
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...data.suggestions.map((title) => Object.assign(document.createElement("option"), { value: title })));
      } catch (error) {
        // Suggestions are a convenience: a network error leaves the plain search.
      }
    }, 150);
  });
})();
