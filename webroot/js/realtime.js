// Real time per the contract: one EventBus over SockJS, every room the user may join, domain events deduplicated
// by id, and recovery through GET /api/events?after= after every (re)connect so nothing is lost while offline.

const NOTIFICATION_TYPES = new Set(['notification:created', 'notifications:changed']);
const RELATIONSHIPS_CHANGED = 'relationships:changed';
const ROOM_JOINED = 'room:joined';
const MAX_REMEMBERED = 5000;
// Recovery waits this long at most for the server to confirm the rooms it asked for (then recovers anyway).
const JOIN_WAIT_MS = 5000;

export class Realtime {
  /**
   * @param options.token        () => current JWT
   * @param options.rooms        () => room addresses to register
   * @param options.api          the HTTP client (for /api/events)
   * @param options.onEvent      (envelope, {live}) for each new domain event, once per id
   * @param options.onNotification (message) notification:created / notifications:changed
   * @param options.onMetrics    (message) metrics:updated
   * @param options.onCluster    (message) cluster:node, admins only (the ops:cluster room)
   * @param options.onReconnect  () after a reconnect (refetch state snapshots)
   * @param options.onStatus     ('connecting' | 'online' | 'offline')
   * @param options.onRoomDenied (room, error)
   * @param options.onRelationshipsChanged (message) who the user mentors or is mentored by changed
   */
  constructor(options) {
    this.options = options;
    this.lastId = 0;
    this.seen = new Set();
    this.opened = false;
    this.eb = null;
    this.handlers = new Map(); // room → the handler registered on the current socket
    this.denied = new Set(); // rooms the server refused or revoked on the current socket
    this.joining = new Map(); // room → resolve() of a register the server has not confirmed yet
  }

  /** Ids already shown (e.g. the activity feed loaded over HTTP) count as seen. */
  remember(id) {
    if (typeof id !== 'number') return false;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > MAX_REMEMBERED) {
      // ids below lastId that are old enough will never be replayed by /api/events?after=lastId
      const oldest = this.seen.values().next().value;
      this.seen.delete(oldest);
    }
    if (id > this.lastId) this.lastId = id;
    return true;
  }

  start() {
    const { options } = this;
    options.onStatus('connecting');
    const eb = new EventBus('/eventbus');
    this.eb = eb;
    eb.defaultHeaders = { Authorization: 'Bearer ' + options.token() };
    eb.enableReconnect(true);
    eb.onopen = () => {
      // handlers are reset by the client on every new socket: register every room again
      eb.defaultHeaders = { Authorization: 'Bearer ' + options.token() };
      this.handlers.clear();
      this.denied.clear();
      this.joining.clear();
      const after = this.lastId; // before any live message on the new socket can raise it
      const joined = Promise.all(options.rooms().map(room => this.join(room)));
      options.onStatus('online');
      const reconnect = this.opened;
      this.opened = true;
      this.recoverOnce(joined, after);
      if (reconnect) options.onReconnect();
    };
    eb.onclose = () => {
      if (this.eb === eb) options.onStatus('offline');
    };
    eb.onerror = err => console.warn('event bus error', err);
  }

  /** Whether the socket is open now. */
  isOpen() {
    return !!this.eb && this.eb.state === EventBus.OPEN;
  }

  stop() {
    const eb = this.eb;
    this.eb = null;
    if (eb) {
      eb.onclose = null;
      try {
        eb.close();
      } catch (e) {
        // already closed
      }
    }
  }

  /** Registers a room; resolves once the server confirms it (room:joined), refuses it, or JOIN_WAIT_MS passes. */
  join(room) {
    const handler = (err, message) => this.receive(room, err, message);
    this.handlers.set(room, handler);
    const confirmed = new Promise(resolve => {
      const timer = setTimeout(resolve, JOIN_WAIT_MS);
      this.joining.set(room, () => { clearTimeout(timer); resolve(); });
    });
    this.eb.registerHandler(room, handler);
    return confirmed;
  }

  retryJoin(room) {
    const eb = this.eb;
    setTimeout(() => {
      if (this.eb !== eb || eb.state !== EventBus.OPEN) return;
      const handler = this.handlers.get(room);
      if (handler) eb.unregisterHandler(room, handler); // the official client registers only a room's first handler
      const after = this.lastId;
      this.recoverOnce(this.join(room), after);
    }, 1000 + Math.random() * 2000);
  }

  joinedOrRefused(room) {
    const resolve = this.joining.get(room);
    this.joining.delete(room);
    if (resolve) resolve();
  }

  /**
   * After the user's relationships changed: joins the rooms now wanted (again for those refused or revoked: the
   * official client keeps a refused room's handler, so it would never send that register again), leaves the rooms
   * no longer wanted, then recovers what was published before the new rooms were joined.
   */
  syncRooms() {
    const eb = this.eb;
    if (!eb || eb.state !== EventBus.OPEN) return; // onopen registers every wanted room
    eb.defaultHeaders = { Authorization: 'Bearer ' + this.options.token() };
    const wanted = new Set(this.options.rooms());
    for (const [room, handler] of [...this.handlers]) {
      if (wanted.has(room) && !this.denied.has(room)) continue;
      eb.unregisterHandler(room, handler);
      this.handlers.delete(room);
      this.denied.delete(room);
    }
    const after = this.lastId;
    const joins = [];
    for (const room of wanted) if (!this.handlers.has(room)) joins.push(this.join(room));
    this.recoverOnce(Promise.all(joins), after);
  }

  receive(room, err, message) {
    if (err && err.failureType === 'unavailable') {
      // the server was too busy to check the room: not a refusal; ask again a little later
      this.joinedOrRefused(room);
      this.retryJoin(room);
      return;
    }
    if (err) {
      this.denied.add(room);
      this.joinedOrRefused(room);
      this.options.onRoomDenied(room, err);
      return;
    }
    const body = message && message.body;
    if (!body || typeof body !== 'object') return;
    if (body.type === ROOM_JOINED) {
      this.joinedOrRefused(room);
    } else if (NOTIFICATION_TYPES.has(body.type)) {
      this.options.onNotification(body);
    } else if (body.type === 'metrics:updated') {
      this.options.onMetrics(body);
    } else if (body.type === 'cluster:node') {
      if (this.options.onCluster) this.options.onCluster(body);
    } else if (typeof body.id === 'number') {
      this.accept(body, true);
    }
  }

  accept(event, live) {
    if (!this.remember(event.id)) return; // the same event arrives on several rooms, and again in recovery
    if (event.type === RELATIONSHIPS_CHANGED) {
      // numbered like the domain events, so one missed while offline comes back in recovery: re-read the rooms
      if (this.options.onRelationshipsChanged) this.options.onRelationshipsChanged(event);
      return;
    }
    this.options.onEvent(event, { live });
  }

  /**
   * Once the rooms are joined — so every event from then on arrives live — pages through /api/events after the
   * highest id seen before (re)joining: ids become visible in increasing order on every room and node, so nothing
   * between the two is missed, and nothing needs replaying from below it. Events that arrive live meanwhile are
   * kept (and dropped again when recovery brings them).
   */
  recoverOnce(joined, after) {
    const eb = this.eb;
    return joined.then(() => this.recover(after, eb));
  }

  async recover(after, eb) {
    try {
      for (;;) {
        if (this.eb !== eb) return;
        const page = await this.options.api.get('/api/events?after=' + after + '&limit=200');
        const items = (page && page.items) || [];
        for (const event of items) {
          this.accept(event, false);
          if (event.id > after) after = event.id;
        }
        if (!(page && page.hasMore) || items.length === 0) break;
      }
    } catch (e) {
      console.warn('could not recover missed events', e);
    }
  }
}
