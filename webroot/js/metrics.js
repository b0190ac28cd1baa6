// Dashboard metrics for mentors (their scope) and admins (all): a snapshot over HTTP, replaced by each
// metrics:updated message; after a reconnect the snapshot is fetched again (pushes are not replayed).
import { h, fill, formatTime, humanize } from './dom.js';
import { describeError } from './api.js';

const SKIP = new Set(['generatedAt', 'updatedAt', 'occurredAt', 'scope', 'mentorId', 'type']);

export function createMetrics(ctx) {
  const tiles = h('div', { id: 'metrics-tiles', class: 'tiles' });
  const updated = h('span', { class: 'count', id: 'metrics-updated' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const root = h('section', { class: 'card', id: 'metrics-panel', 'aria-labelledby': 'metrics-title' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'metrics-title' }, ctx.user.role === 'admin' ? 'School at a glance' : 'Your students at a glance'), updated),
    error, tiles);

  async function load() {
    try {
      show(await ctx.api.get('/api/metrics/dashboard'));
      error.hidden = true;
    } catch (e) {
      error.textContent = 'Metrics are unavailable: ' + describeError(e);
      error.hidden = false;
    }
  }

  /** metrics:updated carries the snapshot in data (or data.metrics). */
  function onMessage(message) {
    const data = message.data || {};
    show(data.metrics || data.snapshot || data, message.occurredAt);
  }

  function show(snapshot, at) {
    if (!snapshot || typeof snapshot !== 'object') return;
    const cards = [];
    const wide = [];
    for (const [key, value] of Object.entries(snapshot)) {
      if (SKIP.has(key)) continue;
      if (key.endsWith('Rate')) {
        cards.push(tile(key, value, percent(value)));
      } else if (typeof value === 'number') {
        cards.push(tile(key, value));
      } else if (key === 'perStudent' && Array.isArray(value)) {
        if (value.length) wide.push(perStudentTable(value));
      } else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const parts = Object.entries(value).filter(([, v]) => typeof v === 'number');
        if (!parts.length) continue;
        wide.push(h('div', { class: 'tile tile-wide', dataset: { metric: key } },
          h('div', { class: 'tile-label' }, humanize(key)),
          h('dl', { class: 'tile-breakdown' }, parts.map(([k, v]) => h('div', {}, h('dt', {}, humanize(k)), h('dd', {}, format(v)))))));
      }
    }
    cards.push(...wide); // single figures first, breakdowns below
    fill(tiles, cards.length ? cards : h('p', { class: 'empty' }, 'No figures yet.'));
    const stamp = at || snapshot.generatedAt || snapshot.updatedAt || new Date().toISOString();
    updated.textContent = 'updated ' + formatTime(stamp);
    tiles.classList.remove('pulse');
    void tiles.offsetWidth; // restart the highlight animation
    tiles.classList.add('pulse');
  }

  function percent(rate) {
    return typeof rate === 'number' ? Math.round(rate * 100) + '%' : '—';
  }

  /** One row per student: what a mentor scans before a week of sessions. */
  function perStudentTable(rows) {
    const entriesToReview = e => (e && typeof e === 'object') ? (e.submitted || 0) + (e.in_review || 0) : 0;
    return h('div', { class: 'tile tile-wide', dataset: { metric: 'perStudent' } },
      h('div', { class: 'tile-label' }, 'By student'),
      h('table', { class: 'mini-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Student'), h('th', { scope: 'col', title: 'Upcoming sessions' }, 'Next'),
          h('th', { scope: 'col', title: 'Entries waiting for review' }, 'Review'),
          h('th', { scope: 'col', title: 'Open tasks' }, 'Tasks'), h('th', { scope: 'col' }, 'Attend.'))),
        h('tbody', {}, rows.slice(0, 12).map(r => h('tr', {},
          h('th', { scope: 'row' }, r.name || '#' + r.studentId),
          h('td', {}, format(r.sessionsUpcoming || 0)),
          h('td', {}, format(entriesToReview(r.entries))),
          h('td', {}, format(r.tasksOpen || 0)),
          h('td', {}, percent(r.attendanceRate)))))));
  }

  function tile(key, value, shown) {
    return h('div', { class: 'tile', dataset: { metric: key } },
      h('div', { class: 'tile-value' }, shown ?? format(value)),
      h('div', { class: 'tile-label' }, humanize(key)));
  }

  function format(value) {
    return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 1 });
  }

  return { root, load, onMessage };
}
