// Shows an API error in a form: the message in its alert area, and the fields the server named marked invalid.
import { describeError } from './api.js';

export function clearFormError(form) {
  const box = form.querySelector('.form-error');
  if (box) box.hidden = true;
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
}

/** fieldAliases maps API field names to form field names (e.g. studentId → audience). */
export function showFormError(form, error, fieldAliases = {}) {
  const box = form.querySelector('.form-error');
  if (box) {
    box.textContent = describeError(error);
    box.hidden = false;
  }
  for (const d of (error && error.details) || []) {
    const name = fieldAliases[d.field] || d.field;
    const field = name && form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (field) field.setAttribute('aria-invalid', 'true');
  }
}

/** Marks a button as waiting ("Saving…", disabled, aria-busy) and returns what puts it back. */
export function busy(button, text) {
  if (!button) return () => {};
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (text) button.textContent = text;
  return () => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  };
}
