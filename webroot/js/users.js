// Accounts (admins): every user, searchable by name or email, by role and by state; new accounts; deactivate and
// reactivate (the user's tokens and sockets stop at once); a one-time link for a user to set a new password.
import { h, fill, formValues, formatDateTime, humanize } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError, busy } from './forms.js';

const PAGE = 25;

export function createUsers(ctx) {
  let users = [];
  let nextBefore = null;
  const list = h('ul', { id: 'users-list', class: 'item-list', 'aria-label': 'Accounts' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const search = h('input', { id: 'users-search', type: 'search', placeholder: 'Name or email', oninput: () => reloadSoon() });
  const role = h('select', { id: 'users-role', onchange: () => load() },
    h('option', { value: '' }, 'Every role'), ['student', 'mentor', 'admin'].map(r => h('option', { value: r }, humanize(r) + 's')));
  const status = h('select', { id: 'users-status', onchange: () => load() },
    h('option', { value: '' }, 'Active and deactivated'), h('option', { value: 'active' }, 'Active'),
    h('option', { value: 'deactivated' }, 'Deactivated'));
  const more = h('button', { id: 'users-more', type: 'button', class: 'btn btn-secondary', hidden: true, onclick: () => load(true, more) }, 'Load more');
  const form = h('form', { id: 'user-form', class: 'stack-form', onsubmit: create },
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, 'Full name'),
      h('input', { id: 'user-name', name: 'name', required: true, maxlength: '200', autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'user-email' }, 'Email'),
      h('input', { id: 'user-email', name: 'email', type: 'email', required: true, autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, 'Role'),
      h('select', { id: 'user-role', name: 'role', required: true },
        h('option', { value: 'mentor' }, 'Mentor'), h('option', { value: 'admin' }, 'Admin'), h('option', { value: 'student' }, 'Student'))),
    h('div', { class: 'field' }, h('label', { for: 'user-password' }, 'First password'),
      h('input', { id: 'user-password', name: 'password', type: 'password', required: true, minlength: '8', autocomplete: 'new-password' }),
      h('p', { class: 'hint' }, 'At least 8 characters. Or leave the user a password link from their row.')),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'user-submit' }, 'Create account')));
  const root = h('section', { class: 'card', id: 'users-panel', 'aria-labelledby': 'users-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'users-title' }, 'Accounts')),
    h('details', { class: 'composer', id: 'user-composer' }, h('summary', { class: 'btn btn-secondary' }, 'New account'), form),
    h('div', { class: 'filters', role: 'search', 'aria-label': 'Find accounts' },
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Find an account by name or email'), search),
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Role'), role),
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'State'), status)),
    error, list, more);

  let timer = null;
  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => load(), 250);
  }

  /** Reads the list (a page more when appending); the control that asked, and the list, are busy meanwhile. */
  async function load(append = false, control = null) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (search.value.trim()) q.set('q', search.value.trim());
    if (role.value) q.set('role', role.value);
    if (status.value) q.set('status', status.value);
    if (append && nextBefore) q.set('before', String(nextBefore));
    const done = busy(control, 'Loading…');
    const listDone = busy(list);
    try {
      const page = await ctx.api.get('/api/users?' + q);
      users = append ? [...users, ...(page.items || [])] : page.items || [];
      nextBefore = page.nextBefore || null;
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = 'Accounts could not be loaded: ' + describeError(e);
      error.hidden = false;
    } finally {
      listDone();
      done();
    }
  }

  function render() {
    fill(list, users.length ? users.map(row) : h('li', { class: 'empty' }, 'No account matches.'));
    more.hidden = !nextBefore;
  }

  function row(user) {
    const self = user.id === ctx.user.id;
    const link = h('div', { class: 'reset-link', hidden: true });
    const li = h('li', { class: user.active ? '' : 'is-inactive', dataset: { id: String(user.id), active: String(user.active) } },
      h('div', { class: 'item-body' },
        h('div', { class: 'item-title' }, user.name, ' ', h('span', { class: 'chip chip-role' }, humanize(user.role)),
          user.active ? null : h('span', { class: 'chip chip-cancelled' }, 'Deactivated')),
        h('div', { class: 'item-meta' }, user.email, user.deactivatedAt ? ' · deactivated ' + formatDateTime(user.deactivatedAt) : ''),
        link),
      h('div', { class: 'item-actions' },
        user.active ? h('button', { type: 'button', class: 'btn btn-small btn-quiet', dataset: { action: 'reset' },
          onclick: e => resetLink(user, link, e.currentTarget) }, 'Password link') : null,
        self ? null : h('button', { type: 'button', class: 'btn btn-small' + (user.active ? ' btn-danger' : ''),
          dataset: { action: user.active ? 'deactivate' : 'reactivate' },
          onclick: e => setActive(user, !user.active, e.currentTarget) }, user.active ? 'Deactivate' : 'Reactivate')));
    return li;
  }

  async function setActive(user, active, button) {
    if (!active && !window.confirm(`Deactivate ${user.name}? They are signed out at once and cannot sign in until reactivated.`)) return;
    const done = busy(button);
    try {
      const updated = await ctx.api.put('/api/users/' + user.id + '/active', { active });
      users = users.map(u => (u.id === updated.id ? updated : u));
      render();
      ctx.toast(`${updated.name} ${active ? 'can sign in again' : 'is deactivated'}`, 'success');
      const again = list.querySelector(`li[data-id="${user.id}"] button[data-action]`);
      if (again) again.focus();
    } catch (e) {
      ctx.toast('Could not change the account: ' + describeError(e), 'error');
    } finally {
      done();
    }
  }

  async function resetLink(user, box, button) {
    const done = busy(button);
    try {
      const reply = await ctx.api.post('/api/users/' + user.id + '/password-reset');
      const url = location.origin + reply.path;
      const field = h('input', { type: 'text', readonly: true, value: url, class: 'reset-url', id: 'reset-url-' + user.id });
      fill(box, h('label', { for: field.id }, 'One-time link for ' + user.name + ' (valid until ' + formatDateTime(reply.expiresAt) + ')'), field,
        h('p', { class: 'hint' }, 'Give it to them in person or by a channel you trust: it works once, and a new link replaces it.'));
      box.hidden = false;
      field.focus();
      field.select();
    } catch (e) {
      ctx.toast('Could not make a link: ' + describeError(e), 'error');
    } finally {
      done();
    }
  }

  async function create(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    const done = busy(f.querySelector('button[type=submit]'), 'Creating…');
    try {
      const created = await ctx.api.post('/api/users', formValues(f));
      f.reset();
      f.closest('details').open = false;
      ctx.toast('Account created: ' + created.name, 'success');
      await load();
    } catch (err) {
      showFormError(f, err);
    } finally {
      done();
    }
  }

  return { root, load };
}
