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

/**
 * Marks a control as waiting (disabled, aria-busy, and "Saving…" when a text is given) and returns what puts it back,
 * also after a failure. The one busy state of every action that waits for the API: buttons, selects, lists.
 * A control that had the focus gets it back (disabling it dropped it), if it is still shown.
 */
export function busy(control, text) {
  if (!control) return () => {};
  const label = control.textContent;
  const focused = document.activeElement === control;
  if ('disabled' in control) control.disabled = true;
  control.setAttribute('aria-busy', 'true');
  if (text) control.textContent = text;
  return () => {
    if ('disabled' in control) control.disabled = false;
    control.removeAttribute('aria-busy');
    if (text) control.textContent = label;
    if (focused && focusLost()) giveFocus(control);
  };
}

function focusLost() {
  return !document.activeElement || document.activeElement === document.body;
}

/** Focus back on a control still shown (not one folded away, e.g. in a form closed after its success). */
function giveFocus(control) {
  if (!control || !control.isConnected || !control.getClientRects().length) return;
  // focusing into a closed <details> would open it again (and scroll to it)
  const folded = control.closest('details:not([open])');
  // without scrolling: the page stays where the user was looking (an error shown above may have moved the control)
  if (!folded || folded.querySelector(':scope > summary') === control) control.focus({ preventScroll: true });
}

/**
 * Busy states that outlive a redraw. A view that draws its rows again on every event (a live push can arrive
 * before the answer to the click that caused it) draws each control through mark(control, key): a control whose
 * action still waits is drawn busy too. When run()'s work ends, every control of that key is put back, and the
 * focus returns to the one now on the page if the redraw took it away.
 */
export function pendingActions(root) {
  const waiting = new Map(); // key → {text, undo: what puts each of its controls back}
  return {
    mark(control, key) {
      control.dataset.waits = key;
      const pending = waiting.get(key);
      if (pending) pending.undo.push(busy(control, pending.text));
      return control;
    },
    async run(key, control, work, text) {
      const focused = document.activeElement === control;
      const pending = { text, undo: [busy(control, text)] };
      waiting.set(key, pending);
      try {
        return await work();
      } finally {
        if (waiting.get(key) === pending) waiting.delete(key);
        pending.undo.forEach(undo => undo());
        if (focused && focusLost()) giveFocus(root.querySelector(`[data-waits="${CSS.escape(key)}"]`));
      }
    }
  };
}
