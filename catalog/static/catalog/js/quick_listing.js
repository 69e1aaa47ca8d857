// The quick listing form: choosing a craft fills in its suggested HS code, unless the seller typed one.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-quick-listing]");
  if (!form) return;
  const craft = form.querySelector("select[name=craft]");
  const hsCode = form.querySelector("input[name=hs_code]");
  if (!craft || !hsCode) return;
  const suggestions = JSON.parse(craft.dataset.hsSuggestions || "{}");
  let suggested = hsCode.value === (suggestions[craft.value] || "") ;
  hsCode.addEventListener("input", () => { suggested = false; });
  craft.addEventListener("change", () => {
    if (suggested || !hsCode.value) {
      hsCode.value = suggestions[craft.value] || "";
      suggested = true;
    }
  });
});
