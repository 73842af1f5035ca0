// Parcours: small progressive enhancements, no inline scripts (CSP script-src 'self').
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
// Move focus to the first field in error after an htmx swap, so the error is announced.
document.body && document.body.addEventListener("htmx:afterSwap", (event) => {
  const invalid = event.detail.target.querySelector("[aria-invalid=true], .field--error input, .field--error select, .field--error textarea");
  if (invalid) { invalid.focus(); }
});
