// Real time per the contract: one EventBus over SockJS, every room the user may join, domain events deduplicated
// by id, and recovery through GET /api/events?after= after every (re)connect so nothing is lost while offline.

const NOTIFICATION_TYPES = new Set(['notification:created', 'notifications:changed']);
const RELATIONSHIPS_CHANGED = 'relationships:changed';
const MAX_REMEMBERED = 5000;
// Ids are given in commit order, but an event can be published after a later one (another node's event relayed
// after that node died; two commits finishing at once): recovery starts this many ids below the highest seen and
// the ids already seen are dropped, so such an event is not skipped. Far below MAX_REMEMBERED.
const REPLAY_MARGIN = 200;

export class Realtime {
  /**
   * @param options.token        () => current JWT
   * @param options.rooms        () => room addresses to register
   * @param options.api          the HTTP client (for /api/events)
   * @param options.onEvent      (envelope, {live}) for each new domain event, once per id
   * @param options.onNotification (message) notification:created / notifications:changed
   * @param options.onMetrics    (message) metrics:updated
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
      for (const room of options.rooms()) this.join(room);
      options.onStatus('online');
      const reconnect = this.opened;
      this.opened = true;
      this.recover();
      if (reconnect) options.onReconnect();
    };
    eb.onclose = () => {
      if (this.eb === eb) options.onStatus('offline');
    };
    eb.onerror = err => console.warn('event bus error', err);
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

  join(room) {
    const handler = (err, message) => this.receive(room, err, message);
    this.handlers.set(room, handler);
    this.eb.registerHandler(room, handler);
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
    for (const room of wanted) if (!this.handlers.has(room)) this.join(room);
    this.recover();
  }

  receive(room, err, message) {
    if (err) {
      this.denied.add(room);
      this.options.onRoomDenied(room, err);
      return;
    }
    const body = message && message.body;
    if (!body || typeof body !== 'object') return;
    if (NOTIFICATION_TYPES.has(body.type)) {
      this.options.onNotification(body);
    } else if (body.type === RELATIONSHIPS_CHANGED) {
      if (this.options.onRelationshipsChanged) this.options.onRelationshipsChanged(body);
    } else if (body.type === 'metrics:updated') {
      this.options.onMetrics(body);
    } else if (typeof body.id === 'number') {
      this.accept(body, true);
    }
  }

  accept(event, live) {
    if (!this.remember(event.id)) return; // the same event arrives on several rooms, and again in recovery
    this.options.onEvent(event, { live });
  }

  /**
   * Pages through /api/events from a little below the highest id seen when the socket opened (REPLAY_MARGIN). The
   * cursor is taken now, before any live message on the new socket can raise lastId past an event that was
   * published while we were away.
   */
  recover() {
    let after = Math.max(0, this.lastId - REPLAY_MARGIN);
    const eb = this.eb;
    return (async () => {
      try {
        for (;;) {
          const page = await this.options.api.get('/api/events?after=' + after + '&limit=200');
          const items = (page && page.items) || [];
          for (const event of items) {
            this.accept(event, false);
            if (event.id > after) after = event.id;
          }
          if (!(page && page.hasMore) || items.length === 0 || this.eb !== eb) break;
        }
      } catch (e) {
        console.warn('could not recover missed events', e);
      }
    })();
  }
}
