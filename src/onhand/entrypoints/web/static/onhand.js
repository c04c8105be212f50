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
