// The bell: always the SERVER's unread count (GET /api/notifications, then notification:created and
// notifications:changed on user:{id}), so every tab and device agrees; a dropdown to read, mark and clear.
import { h, fill, formatRelative } from './dom.js';
import { describeError } from './api.js';
import { busy, pendingActions } from './forms.js';

/** The kinds of notification, as the filter names them. */
const KINDS = {
  'schedule:created': 'New sessions', 'schedule:updated': 'Session changes', 'task:assigned': 'New tasks',
  'task:progressed': 'Task progress', 'entry:created': 'New entries', 'entry:statusChanged': 'Reviews',
  'comment:added': 'Comments', 'student:registered': 'New students'
};

export function createBell(ctx) {
  let items = [];
  let unread = null; // unknown until the server says
  let stale = false;

  const badge = h('span', { id: 'bell-count', class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const button = h('button', {
    id: 'bell', class: 'icon-button bell', type: 'button',
    'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': 'notif-panel', 'aria-label': 'Notifications'
  }, bellIcon(), badge);
  const list = h('ul', { id: 'notif-list', class: 'notif-list', tabindex: '0', 'aria-label': 'Your notifications' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const readAll = h('button', { id: 'notif-read-all', class: 'btn btn-small', type: 'button', onclick: () => markAllRead() }, 'Mark all read');
  const clear = h('button', { id: 'notif-clear', class: 'btn btn-small btn-quiet', type: 'button', onclick: () => clearAll() }, 'Clear all');
  // what the list shows: everything or the unread only, one kind or all; older pages on demand
  const show = h('select', { id: 'notif-show', onchange: () => load() },
    h('option', { value: '' }, 'All'), h('option', { value: 'true' }, 'Unread'));
  const kind = h('select', { id: 'notif-type', onchange: () => load() },
    h('option', { value: '' }, 'Every kind'), Object.entries(KINDS).map(([type, label]) => h('option', { value: type }, label)));
  const more = h('button', { id: 'notif-more', class: 'btn btn-small btn-secondary', type: 'button', hidden: true, onclick: () => load(true, more) }, 'Load more');
  const panel = h('div', { id: 'notif-panel', class: 'dropdown', role: 'region', 'aria-label': 'Notifications', hidden: true },
    h('div', { class: 'dropdown-head' }, h('h2', {}, 'Notifications'), h('div', { class: 'dropdown-actions' }, readAll, clear)),
    h('div', { class: 'dropdown-filters' },
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Show'), show),
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Kind'), kind)),
    error, list, h('div', { class: 'dropdown-foot' }, more));
  let nextBefore = null;
  const root = h('div', { class: 'bell-wrap' }, button, panel);
  // a list drawn again while a row's action waits (a push from another tab, say) draws that button busy
  const actions = pendingActions(list);

  button.addEventListener('click', () => (panel.hidden ? openPanel() : closePanel()));
  document.addEventListener('keydown', e => {
    if (e.key === 'Escape' && !panel.hidden) {
      closePanel();
      button.focus();
    }
  });
  document.addEventListener('click', e => {
    if (!panel.hidden && !root.contains(e.target)) closePanel();
  });

  function openPanel() {
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    if (stale) load();
    render();
  }

  function closePanel() {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }

  /** Reads the list (a page more when appending); the control that asked for it, and the list, are busy meanwhile. */
  async function load(append = false, control = null) {
    const q = new URLSearchParams({ limit: '30' });
    if (show.value) q.set('unread', show.value);
    if (kind.value) q.set('type', kind.value);
    if (append && nextBefore) q.set('before', String(nextBefore));
    const done = busy(control);
    const listDone = busy(list);
    try {
      const page = await ctx.api.get('/api/notifications?' + q);
      items = append ? [...items, ...(page.items || [])] : page.items || [];
      nextBefore = page.nextBefore || null;
      more.hidden = !nextBefore;
      stale = false;
      error.hidden = true;
      setCount(page.unreadCount);
    } catch (e) {
      error.textContent = 'Notifications could not be loaded: ' + describeError(e);
      error.hidden = false;
    } finally {
      listDone();
      done();
    }
    render();
  }

  function onMessage(message) {
    const data = message.data || {};
    if (message.type === 'notification:created' && data.notification) {
      const n = data.notification;
      const shown = (!kind.value || kind.value === n.type); // a new one is unread: it fits either "show"
      if (shown && !items.some(i => i.id === n.id)) items = [n, ...items];
      ctx.toast(n.title, 'info');
    } else if (message.type === 'notifications:changed') {
      // read marks or deletions happened elsewhere (another tab or device): the list is stale
      if (panel.hidden) stale = true;
      else load();
    }
    setCount(data.unreadCount);
    render();
  }

  function setCount(count) {
    if (typeof count !== 'number') return;
    unread = count;
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.dataset.count = String(count);
    badge.hidden = count === 0;
    button.dataset.count = String(count);
    button.setAttribute('aria-label', count === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`);
    if (count === 0) items = items.map(i => ({ ...i, read: true }));
  }

  function markRead(n, button) {
    return actions.run(n.id + ':read', button, async () => {
      try {
        const reply = await ctx.api.post('/api/notifications/' + n.id + '/read');
        items = items.map(i => (i.id === n.id ? { ...i, read: true } : i));
        setCount(reply && reply.unreadCount);
        render();
        // the row was drawn again without its button: stay on it (its delete button), not at the top of the page
        const stay = list.querySelector(`li[data-id="${n.id}"] .icon-button`);
        if (stay) stay.focus();
      } catch (e) {
        ctx.toast('Could not mark it read: ' + describeError(e), 'error');
      }
    }, 'Marking…');
  }

  async function markAllRead() {
    const done = busy(readAll, 'Marking…');
    try {
      const reply = await ctx.api.post('/api/notifications/read-all');
      items = items.map(i => ({ ...i, read: true }));
      setCount(reply && reply.unreadCount);
    } catch (e) {
      ctx.toast('Could not mark notifications read: ' + describeError(e), 'error');
    } finally {
      done();
      render(); // after done(): "Mark all read" stays disabled when nothing is unread
    }
  }

  function remove(n, button) {
    return actions.run(n.id + ':delete', button, async () => {
      try {
        await ctx.api.del('/api/notifications/' + n.id);
        items = items.filter(i => i.id !== n.id);
        await load(); // a delete answers 204: ask the server for the count
      } catch (e) {
        ctx.toast('Could not delete it: ' + describeError(e), 'error');
      }
    });
  }

  async function clearAll() {
    if (!window.confirm('Delete all ' + items.length + ' notifications? This cannot be undone.')) return;
    const done = busy(clear, 'Clearing…');
    try {
      await ctx.api.del('/api/notifications');
      items = [];
      await load();
    } catch (e) {
      ctx.toast('Could not clear notifications: ' + describeError(e), 'error');
    } finally {
      done();
      render(); // after done(): "Clear all" stays disabled on an empty list
    }
  }

  function render() {
    // a button still waiting for its answer stays busy whatever else is drawn meanwhile
    readAll.disabled = !unread || readAll.hasAttribute('aria-busy');
    clear.disabled = items.length === 0 || clear.hasAttribute('aria-busy');
    if (panel.hidden) return;
    // a re-render (a push from another tab, a reload) must not throw the keyboard user back to the top
    const active = list.contains(document.activeElement) ? document.activeElement.closest('li[data-id]') : null;
    const keep = active ? active.dataset.id : null;
    fill(list, items.length ? items.map(n => h('li', { class: 'notif' + (n.read ? '' : ' unread'), dataset: { id: String(n.id) } },
      h('div', { class: 'notif-body' },
        n.eventId ? h('button', { type: 'button', class: 'notif-title notif-link', onclick: e => follow(n, e.currentTarget) }, n.title)
          : h('p', { class: 'notif-title' }, n.title),
        n.body ? h('p', { class: 'notif-text' }, describeBody(n.body)) : null,
        h('time', { class: 'item-meta', datetime: n.createdAt }, formatRelative(n.createdAt))),
      h('div', { class: 'notif-actions' },
        n.read ? null : actions.mark(h('button', { class: 'btn btn-small', type: 'button', onclick: e => markRead(n, e.currentTarget), 'aria-label': 'Mark read: ' + n.title }, 'Mark read'), n.id + ':read'),
        actions.mark(h('button', { class: 'icon-button small', type: 'button', onclick: e => remove(n, e.currentTarget), 'aria-label': 'Delete: ' + n.title }, '×'), n.id + ':delete'))))
      : h('li', { class: 'empty' }, show.value || kind.value ? 'Nothing of this kind.' : 'You are all caught up.'));
    if (keep) {
      const row = list.querySelector(`li[data-id="${keep}"]`);
      const control = row && (row.querySelector('.notif-actions .btn') || row.querySelector('.icon-button'));
      if (control) control.focus();
    }
  }

  /** Opens what a notification is about: its event (GET /api/events from just before it) names the object. */
  async function follow(n, link) {
    const done = busy(link);
    try {
      const page = await ctx.api.get('/api/events?after=' + (n.eventId - 1) + '&limit=1');
      const event = (page.items || []).find(e => e.id === n.eventId);
      if (!n.read) markRead(n);
      closePanel();
      if (!event || !ctx.reveal(event)) ctx.toast('That is no longer on your page.', 'info');
    } catch (e) {
      ctx.toast('Could not open it: ' + describeError(e), 'error');
    } finally {
      done();
    }
  }

  /** Bodies may hold ISO time ranges ("2026-…Z – 2026-…Z"): show them in the reader's zone. */
  function describeBody(body) {
    return body.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/g, iso => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    });
  }

  function bellIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '22');
    svg.setAttribute('height', '22');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z');
    path.setAttribute('fill', 'currentColor');
    svg.append(path);
    return svg;
  }

  return { root, load, onMessage, unreadCount: () => unread };
}
