// The bell: always the SERVER's unread count (GET /api/notifications, then notification:created and
// notifications:changed on user:{id}), so every tab and device agrees; a dropdown to read, mark and clear.
import { h, fill, formatRelative } from './dom.js';
import { describeError } from './api.js';

export function createBell(ctx) {
  let items = [];
  let unread = null; // unknown until the server says
  let stale = false;

  const badge = h('span', { id: 'bell-count', class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const button = h('button', {
    id: 'bell', class: 'icon-button bell', type: 'button',
    'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': 'notif-panel', 'aria-label': 'Notifications'
  }, bellIcon(), badge);
  const list = h('ul', { id: 'notif-list', class: 'notif-list' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const readAll = h('button', { id: 'notif-read-all', class: 'btn btn-small', type: 'button', onclick: markAllRead }, 'Mark all read');
  const clear = h('button', { id: 'notif-clear', class: 'btn btn-small btn-quiet', type: 'button', onclick: clearAll }, 'Clear all');
  const panel = h('div', { id: 'notif-panel', class: 'dropdown', role: 'region', 'aria-label': 'Notifications', hidden: true },
    h('div', { class: 'dropdown-head' }, h('h2', {}, 'Notifications'), h('div', { class: 'dropdown-actions' }, readAll, clear)),
    error, list);
  const root = h('div', { class: 'bell-wrap' }, button, panel);

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

  async function load() {
    try {
      const page = await ctx.api.get('/api/notifications?limit=30');
      items = page.items || [];
      stale = false;
      error.hidden = true;
      setCount(page.unreadCount);
    } catch (e) {
      error.textContent = 'Notifications could not be loaded: ' + describeError(e);
      error.hidden = false;
    }
    render();
  }

  function onMessage(message) {
    const data = message.data || {};
    if (message.type === 'notification:created' && data.notification) {
      const n = data.notification;
      if (!items.some(i => i.id === n.id)) items = [n, ...items].slice(0, 50);
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

  async function markRead(n) {
    try {
      const reply = await ctx.api.post('/api/notifications/' + n.id + '/read');
      items = items.map(i => (i.id === n.id ? { ...i, read: true } : i));
      setCount(reply && reply.unreadCount);
      render();
    } catch (e) {
      ctx.toast('Could not mark it read: ' + describeError(e), 'error');
    }
  }

  async function markAllRead() {
    try {
      const reply = await ctx.api.post('/api/notifications/read-all');
      items = items.map(i => ({ ...i, read: true }));
      setCount(reply && reply.unreadCount);
      render();
    } catch (e) {
      ctx.toast('Could not mark notifications read: ' + describeError(e), 'error');
    }
  }

  async function remove(n) {
    try {
      await ctx.api.del('/api/notifications/' + n.id);
      items = items.filter(i => i.id !== n.id);
      await load(); // a delete answers 204: ask the server for the count
    } catch (e) {
      ctx.toast('Could not delete it: ' + describeError(e), 'error');
    }
  }

  async function clearAll() {
    try {
      await ctx.api.del('/api/notifications');
      items = [];
      await load();
    } catch (e) {
      ctx.toast('Could not clear notifications: ' + describeError(e), 'error');
    }
  }

  function render() {
    readAll.disabled = !unread;
    clear.disabled = items.length === 0;
    if (panel.hidden) return;
    fill(list, items.length ? items.map(n => h('li', { class: 'notif' + (n.read ? '' : ' unread'), dataset: { id: String(n.id) } },
      h('div', { class: 'notif-body' },
        h('p', { class: 'notif-title' }, n.title),
        n.body ? h('p', { class: 'notif-text' }, describeBody(n.body)) : null,
        h('time', { class: 'item-meta', datetime: n.createdAt }, formatRelative(n.createdAt))),
      h('div', { class: 'notif-actions' },
        n.read ? null : h('button', { class: 'btn btn-small', type: 'button', onclick: () => markRead(n), 'aria-label': 'Mark read: ' + n.title }, 'Mark read'),
        h('button', { class: 'icon-button small', type: 'button', onclick: () => remove(n), 'aria-label': 'Delete: ' + n.title }, '×'))))
      : h('li', { class: 'empty' }, 'You are all caught up.'));
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
