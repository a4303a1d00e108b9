// Rédiger: htmx posts the whole form for each preview, as one types. The image goes with
// the preview made when it is chosen (which checks it); the later ones send only its name,
// rather than the same file again at every keystroke.
document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt;
  if (!form || form.id !== "compose") return;
  var input = form.querySelector("#image");
  var file = input && input.files && input.files[0];
  var trigger = event.detail.triggeringEvent;
  if (!file || (trigger && trigger.target === input)) return;
  event.detail.parameters.delete("image");
  event.detail.parameters.set("image_name", file.name);
});
