// Better with JavaScript: a change of sort or filter applies at once (the form works without it).
document.querySelectorAll(".facets input[type=checkbox], .facets select").forEach((input) => {
  input.addEventListener("change", () => input.form.submit());
});
