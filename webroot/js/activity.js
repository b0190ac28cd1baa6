// The live activity feed: GET /api/activity (newest first), then every new domain event as it arrives.
import { h, fill, formatRelative, formatDateTime, humanize } from './dom.js';
import { describeError } from './api.js';
import { busy } from './forms.js';

const MAX_ITEMS = 50;
const KINDS = {
  'schedule:created': 'New sessions', 'schedule:updated': 'Session changes', 'task:assigned': 'New tasks',
  'task:progressed': 'Task progress', 'entry:created': 'New entries', 'entry:statusChanged': 'Reviews',
  'comment:added': 'Comments', 'student:registered': 'New students'
};
/** A letter per kind of event in a coloured disc: no emoji, which kiosk and headless machines often lack. */
const ICONS = {
  'student:registered': ['+', 'icon-people'], 'entry:created': ['J', 'icon-journal'],
  'entry:statusChanged': ['J', 'icon-journal'], 'comment:added': ['C', 'icon-comment'],
  'task:assigned': ['T', 'icon-task'], 'task:progressed': ['T', 'icon-task'], 'schedule:created': ['S', 'icon-session'], 'schedule:updated': ['S', 'icon-session']
};

const STATUS_VERBS = { cancelled: 'cancelled', completed: 'marked completed', missed: 'marked as missed' };
const ENTRY_VERBS = {
  submitted: 'submitted', in_review: 'started reviewing', approved: 'approved',
  needs_revision: 'asked for changes to', draft: 'moved back to draft'
};

/** One sentence per event type, in words (never a status name); tolerant of data shapes the server may extend. */
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
      return `${who} ${ENTRY_VERBS[status] || 'updated'} ${title || 'a learning entry'}`;
    }
    case 'comment:added':
      return `${who} commented on ${data.entry && data.entry.title ? `“${data.entry.title}”` : 'a learning entry'}`;
    case 'task:assigned':
      return `${who} assigned the task ${title}`;
    case 'task:progressed': {
      const to = data.assignee && data.assignee.status;
      const verb = to === 'done' ? 'finished' : data.previousProgress === 'done' ? 'reopened' : 'started';
      return `${who} ${verb} the task ${title}`;
    }
    case 'schedule:created':
      return `${who} scheduled ${title || 'a session'}${data.schedule ? ' for ' + formatDateTime(data.schedule.startTime) : ''}`;
    case 'schedule:updated': {
      const session = title || 'a session';
      const status = data.schedule && data.schedule.status;
      if (data.change === 'attendance') return `${who} took attendance for ${session}`;
      if (data.change === 'deleted') return `${who} removed ${session}`;
      if (data.change === 'status') return `${who} ${STATUS_VERBS[status] || 'updated'} ${session}`;
      return `${who} changed ${session}`;
    }
    default:
      return `${who}: ${humanize(event.type.replace(':', ' '))}`;
  }
}

export function createActivity(ctx) {
  const events = new Map();
  const list = h('ol', { id: 'activity-list', class: 'feed', 'aria-live': 'polite', 'aria-relevant': 'additions',
    // it scrolls: keyboard users must be able to reach it
    tabindex: '0', 'aria-labelledby': 'activity-title' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const kind = h('select', { id: 'activity-type', onchange: () => reload() },
    h('option', { value: '' }, 'Everything'), Object.entries(KINDS).map(([type, label]) => h('option', { value: type }, label)));
  const older = h('button', { id: 'activity-older', type: 'button', class: 'btn btn-small btn-secondary', hidden: true,
    onclick: () => loadOlder() }, 'Load older');
  const root = h('section', { class: 'card', id: 'activity-panel', 'aria-labelledby': 'activity-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'activity-title' }, 'Activity'),
      h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Show in the activity'), kind)),
    error, list, older);
  let limit = MAX_ITEMS;

  function query(before) {
    const q = new URLSearchParams({ limit: String(MAX_ITEMS) });
    if (kind.value) q.set('type', kind.value);
    if (before) q.set('before', String(before));
    return '/api/activity?' + q;
  }

  async function reload() {
    events.clear();
    limit = MAX_ITEMS;
    await load();
  }

  async function loadOlder() {
    const oldest = Math.min(...events.keys());
    const done = busy(older, 'Loading…');
    try {
      const page = await ctx.api.get(query(oldest));
      limit += MAX_ITEMS;
      for (const event of page.items || []) events.set(event.id, event);
      older.hidden = !page.nextBefore;
      render();
    } catch (e) {
      ctx.toast('Older activity could not be loaded: ' + describeError(e), 'error');
    } finally {
      done();
    }
    // the keyboard stays on the button, or on the feed once there is nothing older
    if (!older.hidden) older.focus();
    else list.focus();
  }

  /** Loads the newest events; returns their ids so real time treats them as seen. */
  async function load() {
    const done = busy(list);
    try {
      const page = await ctx.api.get(query());
      for (const event of page.items || []) events.set(event.id, event);
      older.hidden = !page.nextBefore;
      error.hidden = true;
      render();
      return (page.items || []).map(e => e.id);
    } catch (e) {
      error.textContent = 'Activity could not be loaded: ' + describeError(e);
      error.hidden = false;
      render();
      return [];
    } finally {
      done();
    }
  }

  function apply(event, { live } = {}) {
    if (kind.value && event.type !== kind.value) return;
    events.set(event.id, { ...event, _fresh: live });
    render();
  }

  function render() {
    const items = [...events.values()].sort((a, b) => b.id - a.id).slice(0, limit);
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
