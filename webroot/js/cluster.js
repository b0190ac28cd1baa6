// The cluster (admins): each node says every 2 s how it is (cluster:node on the ops:cluster room): its sockets,
// rooms, deliveries per second, the lag of the latest event it delivered, whether it drains, and its latest
// warnings and errors. A node not heard from for 7 s is shown as gone, and dropped after a minute.
import { h, fill, formatTime } from './dom.js';

const GONE_AFTER_MS = 7_000;
const DROP_AFTER_MS = 60_000;

export function createCluster() {
  const rows = h('tbody', { id: 'cluster-nodes' });
  // a scrollable list: focusable, so keyboard users can scroll it (axe scrollable-region-focusable)
  const errors = h('ol', { id: 'cluster-errors', class: 'feed', tabindex: '0', 'aria-label': 'Recent warnings and errors' });
  const count = h('span', { class: 'count', id: 'cluster-count' }, 'waiting for the nodes…');
  const root = h('section', { class: 'card', id: 'cluster-panel', 'aria-labelledby': 'cluster-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'cluster-title' }, 'Cluster'), count),
    h('table', { class: 'cluster-table' },
      h('thead', {}, h('tr', {}, ['Node', 'Sockets', 'Rooms', 'Frames/s', 'Lag', 'State']
        .map(t => h('th', { scope: 'col' }, t)))),
      rows),
    h('h3', { class: 'cluster-subtitle' }, 'Recent warnings and errors'),
    errors);
  const nodes = new Map(); // node id → { data, seenAt }

  function onMessage(message) {
    const data = message && message.data;
    if (!data || !data.node) return;
    nodes.set(data.node, { data, seenAt: Date.now() });
    render();
  }

  function render() {
    if (!root.isConnected && nodes.size === 0) return;
    const now = Date.now();
    for (const [id, n] of nodes) if (now - n.seenAt > DROP_AFTER_MS) nodes.delete(id);
    const list = [...nodes.values()].sort((a, b) => a.data.http.localeCompare(b.data.http));
    const up = list.filter(n => now - n.seenAt <= GONE_AFTER_MS).length;
    count.textContent = `${up} node${up === 1 ? '' : 's'} up`;
    fill(rows, list.map(({ data, seenAt }) => {
      const gone = now - seenAt > GONE_AFTER_MS;
      const state = gone ? 'gone' : data.draining ? 'draining' : 'serving';
      return h('tr', { class: 'cluster-node cluster-' + state, 'data-node': data.node },
        h('td', { title: 'cluster node ' + data.node }, h('span', { class: 'cluster-http' }, data.http)),
        h('td', { class: 'cluster-sockets' }, String(data.sockets)),
        h('td', {}, String(data.rooms)),
        h('td', {}, String(data.deliveriesPerSecond)),
        h('td', {}, data.eventLagMs ? data.eventLagMs + ' ms' : '–'),
        h('td', { class: 'cluster-state' }, state));
    }));
    const recent = list.flatMap(({ data }) => (data.recentErrors || []).map(e => ({ ...e, http: data.http })))
      .sort((a, b) => b.at.localeCompare(a.at)).slice(0, 10);
    fill(errors, recent.length ? recent.map(e => h('li', { class: 'feed-item' },
      h('span', { class: 'item-meta' }, `${formatTime(e.at)} ${e.http} ${e.level} ${e.logger}`),
      h('div', {}, e.message))) : h('li', { class: 'item-meta' }, 'None.'));
  }

  // nodes that stop talking turn "gone" even when nobody else says anything
  setInterval(render, 2_000);
  return { root, onMessage };
}
