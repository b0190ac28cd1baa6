// The live activity feed: GET /api/activity (newest first), then every new domain event as it arrives.
import { h, fill, formatRelative, formatDateTime, humanize } from './dom.js';
import { describeError } from './api.js';

const MAX_ITEMS = 50;
/** A letter per kind of event in a coloured disc: no emoji, which kiosk and headless machines often lack. */
const ICONS = {
  'student:registered': ['+', 'icon-people'], 'entry:created': ['J', 'icon-journal'],
  'entry:statusChanged': ['J', 'icon-journal'], 'comment:added': ['C', 'icon-comment'],
  'task:assigned': ['T', 'icon-task'], 'schedule:created': ['S', 'icon-session'], 'schedule:updated': ['S', 'icon-session']
};

/** One sentence per event type; tolerant of data shapes the server may extend. */
export function describeEvent(event, me) {
  const data = event.data || {};
  const who = event.actor ? (event.actor.id === me.id ? 'You' : event.actor.name || humanize(event.actor.role)) : 'The portal';
  const subject = data.schedule || data.entry || data.task || data.comment || data.student || {};
  const title = subject.title ? `“${subject.title}”` : '';
  switch (event.type) {
    case 'student:registered':
      return `${(data.student && data.student.name) || 'A new student'} joined the portal`;
    case 'entry:created':
      return `${who} started a learning entry ${title}`;
    case 'entry:statusChanged': {
      const status = data.status || data.to || (data.entry && data.entry.status);
      return `${who} moved ${title || 'an entry'}${status ? ' to ' + humanize(status).toLowerCase() : ''}`;
    }
    case 'comment:added':
      return `${who} commented on ${data.entry && data.entry.title ? `“${data.entry.title}”` : 'a learning entry'}`;
    case 'task:assigned':
      return `${who} assigned the task ${title}`;
    case 'schedule:created':
      return `${who} scheduled ${title || 'a session'}${data.schedule ? ' for ' + formatDateTime(data.schedule.startTime) : ''}`;
    case 'schedule:updated': {
      const status = data.schedule && data.schedule.status;
      return `${who} updated ${title || 'a session'}${status && status !== 'scheduled' ? ' (' + humanize(status).toLowerCase() + ')' : ''}`;
    }
    default:
      return `${who}: ${humanize(event.type.replace(':', ' '))}`;
  }
}

export function createActivity(ctx) {
  const events = new Map();
  const list = h('ol', { id: 'activity-list', class: 'feed', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const root = h('section', { class: 'card', id: 'activity-panel', 'aria-labelledby': 'activity-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'activity-title' }, 'Activity'), h('span', { class: 'count' }, 'live')),
    error, list);

  /** Loads the newest events; returns their ids so real time treats them as seen. */
  async function load() {
    try {
      const page = await ctx.api.get('/api/activity?limit=' + MAX_ITEMS);
      for (const event of page.items || []) events.set(event.id, event);
      error.hidden = true;
      render();
      return (page.items || []).map(e => e.id);
    } catch (e) {
      error.textContent = 'Activity could not be loaded: ' + describeError(e);
      error.hidden = false;
      render();
      return [];
    }
  }

  function apply(event, { live } = {}) {
    events.set(event.id, { ...event, _fresh: live });
    render();
  }

  function render() {
    const items = [...events.values()].sort((a, b) => b.id - a.id).slice(0, MAX_ITEMS);
    for (const id of [...events.keys()]) if (!items.some(e => e.id === id)) events.delete(id);
    fill(list, items.length ? items.map(event => {
      const li = h('li', { class: 'feed-item' + (event._fresh ? ' is-new' : ''), dataset: { id: String(event.id), type: event.type } },
        h('span', { class: 'feed-icon ' + ((ICONS[event.type] || [])[1] || ''), 'aria-hidden': 'true' }, (ICONS[event.type] || ['•'])[0]),
        h('div', {},
          h('p', { class: 'feed-text' }, describeEvent(event, ctx.user)),
          h('time', { class: 'item-meta', datetime: event.occurredAt, title: formatDateTime(event.occurredAt) }, formatRelative(event.occurredAt))));
      event._fresh = false;
      return li;
    }) : h('li', { class: 'empty' }, 'Nothing has happened yet.'));
  }

  // relative times age: refresh them now and then
  setInterval(() => { if (root.isConnected) render(); }, 60_000);

  return { root, load, apply };
}
