// The audit trail (admins): who did what to which object and when, with old → new values; filtered, paged, and
// exported as CSV. GET /api/audit-logs is the source; names come with the page (actorName).
import { h, fill, formValues, formatDateTime, humanize, localInputToIso } from './dom.js';
import { describeError } from './api.js';
import { busy } from './forms.js';

const PAGE = 50;
const EXPORT_MAX = 2000;
const TYPES = ['schedule', 'entry', 'comment', 'task', 'user', 'cohort', 'notification', 'route'];
const ACTIONS = ['create', 'register', 'update', 'status', 'status_change', 'change_status', 'attendance', 'delete',
  'assign_mentor', 'assign_cohort', 'deactivate', 'reactivate', 'password_reset_link', 'password_reset', 'login',
  'login_failed', 'access_denied'];

/** What changed between two snapshots, field by field: "status: scheduled → cancelled". */
export function changes(entry) {
  const before = entry.oldValue || {};
  const after = entry.newValue || {};
  if (!entry.oldValue && !entry.newValue) return entry.detail ? summary(entry.detail) : '';
  if (!entry.oldValue) return 'created' + (after.title || after.name ? ' “' + (after.title || after.name) + '”' : '');
  if (!entry.newValue) return 'removed' + (before.title ? ' “' + before.title + '”' : '');
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter(k => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.map(k => `${humanize(k).toLowerCase()}: ${value(before[k])} → ${value(after[k])}`).join('; ');
}

function value(v) {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length + (v.length === 1 ? ' item' : ' items');
  if (typeof v === 'object') return summary(v);
  return typeof v === 'string' && /^[a-z]+(_[a-z]+)+$/.test(v) ? humanize(v).toLowerCase() : String(v);
}

function summary(o) {
  return Object.entries(o).slice(0, 4).map(([k, v]) => `${humanize(k).toLowerCase()} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}

export function createAudit(ctx) {
  let rows = [];
  let nextBefore = null;
  const who = h('select', { id: 'audit-actor', name: 'actorId' });
  const form = h('form', { id: 'audit-form', class: 'audit-filters', onsubmit: e => { e.preventDefault(); load(false, form.querySelector('#audit-search')); } },
    h('div', { class: 'field' }, h('label', { for: 'audit-actor' }, 'Who'), who),
    h('div', { class: 'field' }, h('label', { for: 'audit-action' }, 'What'),
      h('select', { id: 'audit-action', name: 'action' }, h('option', { value: '' }, 'Anything'),
        ACTIONS.map(a => h('option', { value: a }, humanize(a))))),
    h('div', { class: 'field' }, h('label', { for: 'audit-type' }, 'Object'),
      h('select', { id: 'audit-type', name: 'entityType' }, h('option', { value: '' }, 'Any kind'),
        TYPES.map(t => h('option', { value: t }, humanize(t))))),
    h('div', { class: 'field' }, h('label', { for: 'audit-id' }, 'Object number'),
      h('input', { id: 'audit-id', name: 'entityId', inputmode: 'numeric', pattern: '[0-9]*' })),
    h('div', { class: 'field' }, h('label', { for: 'audit-from' }, 'From'), h('input', { id: 'audit-from', name: 'from', type: 'datetime-local' })),
    h('div', { class: 'field' }, h('label', { for: 'audit-to' }, 'Until'), h('input', { id: 'audit-to', name: 'to', type: 'datetime-local' })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'audit-search' }, 'Search'),
      h('button', { type: 'button', class: 'btn btn-secondary', id: 'audit-export', onclick: () => exportCsv() }, 'Export CSV')));
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const body = h('tbody', { id: 'audit-rows' });
  const table = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit entries' },
    h('table', { class: 'audit-table' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Object', 'Change'].map(t => h('th', { scope: 'col' }, t)))),
      body));
  const more = h('button', { id: 'audit-more', type: 'button', class: 'btn btn-secondary', hidden: true, onclick: () => load(true, more) }, 'Load more');
  const root = h('section', { class: 'card', id: 'audit-panel', 'aria-labelledby': 'audit-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'audit-title' }, 'Audit trail')),
    form, error, table, more);

  function fillWho() {
    const chosen = who.value;
    const people = [...ctx.mentors(), ...ctx.students(), ctx.user].filter((p, i, all) => all.findIndex(q => q.id === p.id) === i);
    fill(who, h('option', { value: '' }, 'Anyone'),
      people.sort((a, b) => a.name.localeCompare(b.name)).map(p => h('option', { value: String(p.id) }, `${p.name} (${p.role || 'student'})`)));
    who.value = chosen;
  }

  function query(before, limit = PAGE) {
    const v = formValues(form);
    const q = new URLSearchParams({ limit: String(limit) });
    for (const key of ['actorId', 'action', 'entityType', 'entityId']) if (v[key]) q.set(key, v[key]);
    if (v.from) q.set('from', localInputToIso(v.from));
    if (v.to) q.set('to', localInputToIso(v.to));
    if (before) q.set('before', String(before));
    return '/api/audit-logs?' + q;
  }

  /** Reads the trail (a page more when appending); the control that asked, and the table, are busy meanwhile. */
  async function load(append = false, control = null) {
    fillWho();
    const done = busy(control, append ? 'Loading…' : 'Searching…');
    const tableDone = busy(body.parentElement);
    try {
      const page = await ctx.api.get(query(append ? nextBefore : null));
      rows = append ? [...rows, ...(page.items || [])] : page.items || [];
      nextBefore = page.nextBefore || null;
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = 'The audit trail could not be loaded: ' + describeError(e);
      error.hidden = false;
    } finally {
      tableDone();
      done();
    }
  }

  function actor(r) {
    return r.actorName || (r.actorId ? humanize(r.actorRole || 'user') + ' #' + r.actorId : 'The portal');
  }

  function render() {
    fill(body, rows.length ? rows.map(r => h('tr', { dataset: { id: String(r.id) } },
      h('td', {}, h('time', { datetime: r.createdAt }, formatDateTime(r.createdAt))),
      h('td', {}, actor(r)),
      h('td', {}, humanize(r.action)),
      h('td', {}, humanize(r.entityType) + (r.entityId ? ' #' + r.entityId : '')),
      h('td', { class: 'audit-change' }, changes(r))))
      : h('tr', {}, h('td', { colspan: '5', class: 'empty' }, 'Nothing matches.')));
    more.hidden = !nextBefore;
  }

  /** Every entry that matches (up to EXPORT_MAX), as CSV: the same columns, plus the raw values. */
  async function exportCsv() {
    const done = busy(root.querySelector('#audit-export'), 'Exporting…');
    try {
      const all = [];
      let before = null;
      do {
        const page = await ctx.api.get(query(before, 200));
        all.push(...(page.items || []));
        before = page.nextBefore || null;
      } while (before && all.length < EXPORT_MAX);
      const cell = v => '"' + String(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v).replace(/"/g, '""') + '"';
      const lines = [['id', 'time', 'actor', 'actorId', 'action', 'entityType', 'entityId', 'change', 'oldValue', 'newValue', 'detail'].join(',')]
        .concat(all.map(r => [r.id, r.createdAt, actor(r), r.actorId, r.action, r.entityType, r.entityId, changes(r),
          r.oldValue, r.newValue, r.detail].map(cell).join(',')));
      const url = URL.createObjectURL(new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }));
      const link = h('a', { href: url, download: 'audit-trail.csv', hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      ctx.toast(`Exported ${all.length} entries`, 'success');
    } catch (e) {
      ctx.toast('Could not export: ' + describeError(e), 'error');
    } finally {
      done();
    }
  }

  return { root, load };
}
