// Scanner forms (data-scanner): after each scan is answered, clear the code and put the
// cursor back in the first field, so the next scan (typed like a keyboard, ending in
// Enter) goes straight in. The bin choice is kept.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest && event.target.closest("form[data-scanner]");
  if (!form) { return; }
  var first = form.querySelector("input[type=text]");
  form.querySelectorAll("input[type=text]").forEach(function (input) { input.value = ""; });
  if (first) { first.focus(); }
});

// Forms of several scans (data-scan-steps): a scanner ends each code with Enter, which
// moves on to the next field; only Enter in the last field sends the form.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || !event.target.closest) { return; }
  var form = event.target.closest("form[data-scan-steps]");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(form.querySelectorAll("input[type=text]"));
  var at = fields.indexOf(event.target);
  if (at < 0 || at === fields.length - 1) { return; }
  event.preventDefault();
  fields[at + 1].focus();
});
