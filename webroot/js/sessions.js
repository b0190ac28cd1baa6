// Sessions: everyone sees the sessions they are in (GET /api/schedules); mentors schedule new ones.
import { h, fill, formValues, formatDateTimeNoZone, formatTime, localInputToIso, toLocalInput, statusChip } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError, busy, pendingActions } from './forms.js';
import { mentorField, fillAudience as fillAudienceOf, audienceFields } from './audience.js';

export function createSessions(ctx) {
  const sessions = new Map();
  const isMentor = ctx.user.role === 'mentor';
  const list = h('ul', { id: 'sessions-list', class: 'item-list', 'aria-label': 'Upcoming sessions' });
  const pastList = h('ul', { id: 'sessions-past', class: 'item-list muted-list', 'aria-label': 'Past and closed sessions' });
  const pastBox = h('details', { class: 'past', hidden: true }, h('summary', {}, 'Past and closed sessions'), pastList);
  const count = h('span', { class: 'count', id: 'sessions-count' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  // mentors schedule their own sessions; an admin schedules on a mentor's behalf
  const form = isMentor || ctx.user.role === 'admin' ? sessionForm() : null;

  const root = h('section', { class: 'card', id: 'sessions-panel', 'aria-labelledby': 'sessions-title' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'sessions-title' }, 'Sessions'), count),
    form, error, list, pastBox);

  // a row drawn again while its action waits (a live event can come before the answer) draws that button busy
  const actions = pendingActions(root);

  /** The next working day at 10:00 in the user's zone: where most sessions go. */
  function defaultStart() {
    const start = new Date(Date.now() + 24 * 3600_000);
    while (start.getDay() === 0 || start.getDay() === 6) start.setDate(start.getDate() + 1);
    start.setHours(10, 0, 0, 0);
    return start;
  }

  function resetTimes(f) {
    const start = defaultStart();
    f.querySelector('#session-start').value = toLocalInput(start);
    f.querySelector('#session-end').value = toLocalInput(new Date(start.getTime() + 3600_000));
  }

  function sessionForm() {
    const start = defaultStart();
    const end = new Date(start.getTime() + 3600_000);
    const audience = h('select', { id: 'session-audience', name: 'audience', required: true });
    const startInput = h('input', { id: 'session-start', name: 'startTime', type: 'datetime-local', required: true, value: toLocalInput(start) });
    const endInput = h('input', { id: 'session-end', name: 'endTime', type: 'datetime-local', required: true, value: toLocalInput(end) });
    startInput.addEventListener('change', () => {
      // keep the session one hour long unless the mentor already chose a later end
      const s = new Date(startInput.value);
      if (!Number.isNaN(s.getTime()) && !(new Date(endInput.value) > s)) endInput.value = toLocalInput(new Date(s.getTime() + 3600_000));
    });
    const f = h('form', { id: 'session-form', class: 'stack-form', novalidate: false },
      h('div', { class: 'field' }, h('label', { for: 'session-title' }, 'Title'),
        h('input', { id: 'session-title', name: 'title', required: true, maxlength: '200', placeholder: 'e.g. Weekly check-in' })),
      mentorField(ctx, 'session-mentor', () => fillAudience()),
      h('div', { class: 'field' }, h('label', { for: 'session-audience' }, 'With'), audience),
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: 'session-start' }, 'Starts'), startInput),
        h('div', { class: 'field' }, h('label', { for: 'session-end' }, 'Ends'), endInput)),
      h('div', { class: 'field' }, h('label', { for: 'session-focus' }, 'Focus ', h('span', { class: 'optional' }, '(optional)')),
        h('input', { id: 'session-focus', name: 'focusStack', maxlength: '100', placeholder: 'e.g. Java, databases' })),
      h('div', { class: 'field' }, h('label', { for: 'session-description' }, 'Notes ', h('span', { class: 'optional' }, '(optional)')),
        h('textarea', { id: 'session-description', name: 'description', rows: '2', maxlength: '5000' })),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'session-submit' }, 'Schedule session')));
    f.addEventListener('submit', submit);
    return h('details', { class: 'composer', id: 'session-composer' },
      h('summary', { class: 'btn btn-secondary' }, 'Schedule a session'), f);
  }

  function fillAudience() {
    fillAudienceOf(ctx, root.querySelector('#session-form'), root.querySelector('#session-audience'),
      'Group session for a cohort');
  }

  async function submit(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    const v = formValues(f);
    const body = { title: v.title || '', startTime: localInputToIso(v.startTime), endTime: localInputToIso(v.endTime) };
    if (v.focusStack) body.focusStack = v.focusStack;
    if (v.description) body.description = v.description;
    Object.assign(body, audienceFields(v));
    if (body.cohortId) body.isGroupSession = true;
    const done = busy(f.querySelector('button[type=submit]'), 'Scheduling…');
    try {
      const created = await ctx.api.post('/api/schedules', body);
      upsert(created, true);
      // the next session starts from a clean form: no audience, times or focus carried over
      f.reset();
      resetTimes(f);
      fillAudience();
      f.closest('details').open = false; // show the list, where the new session now is
      ctx.toast('Session scheduled: ' + created.title, 'success');
    } catch (err) {
      showFormError(f, err, { studentId: 'audience', cohortId: 'audience', isGroupSession: 'audience' });
      offerFreeSlot(f, err);
    } finally {
      done();
    }
  }

  /** A clash names the next time free for everyone (details[].nextFreeSlot): one click takes it. */
  function offerFreeSlot(f, err) {
    const slot = ((err && err.details) || []).map(d => d.nextFreeSlot).find(Boolean);
    const box = f.querySelector('.form-error');
    if (!slot || !box) return;
    const start = new Date(slot.startTime);
    const end = new Date(slot.endTime);
    box.append(' ', h('button', {
      type: 'button', class: 'btn btn-small btn-secondary', id: 'session-use-free',
      onclick: () => {
        f.querySelector('#session-start').value = toLocalInput(start);
        f.querySelector('#session-end').value = toLocalInput(end);
        clearFormError(f);
        f.querySelector('#session-start').focus();
      }
    }, 'Use ' + formatDateTimeNoZone(slot.startTime) + '–' + formatTime(slot.endTime)));
  }

  async function load() {
    try {
      const page = await ctx.api.get('/api/schedules');
      sessions.clear();
      for (const s of page.items || []) sessions.set(s.id, s);
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = 'Sessions could not be loaded: ' + describeError(e);
      error.hidden = false;
    }
  }

  function upsert(schedule, fresh) {
    sessions.set(schedule.id, { ...(sessions.get(schedule.id) || {}), ...schedule, _fresh: fresh });
    render();
  }

  function apply(event) {
    if (!event.type.startsWith('schedule:')) return;
    const data = event.data || {};
    const schedule = data.schedule;
    if (data.change === 'deleted' && schedule) {
      sessions.delete(schedule.id);
      render();
      return;
    }
    if (!schedule || !schedule.id) {
      load();
      return;
    }
    const known = sessions.get(schedule.id);
    // a group session's events carry no roll (a cohort room reaches every member): keep the one we have
    const merged = { ...schedule };
    if (!merged.attendees && known && known.attendees) merged.attendees = known.attendees;
    upsert(merged, true);
    // a group session's attendance changed: the mentor's roll is read again; a student reads their own entry again
    // when the mark was theirs (made in another tab or on another device). A mark the mentor made for them arrives
    // as their notification (onNotification); other students' marks are none of their business.
    if (data.change === 'attendance' && !data.attendee
      && (ctx.user.role !== 'student' || (event.actor && event.actor.id === ctx.user.id))) refetch(schedule.id);
  }

  /** A schedule notification addressed to this student (e.g. the mentor marked their attendance): read it again. */
  function onNotification(notification) {
    if (ctx.user.role === 'student' && notification && notification.type === 'schedule:updated') load();
  }

  /**
   * After a reconnect a student reads their sessions again: the notifications that announced the marks made for
   * them meanwhile are not replayed, and a group session's events carry no roll.
   */
  function onReconnect() {
    if (ctx.user.role === 'student') load();
  }

  const refetching = new Map();
  function refetch(id) {
    clearTimeout(refetching.get(id));
    refetching.set(id, setTimeout(async () => {
      refetching.delete(id);
      try {
        upsert(await ctx.api.get('/api/schedules/' + id));
      } catch (e) {
        if (e.status === 404) {
          sessions.delete(id);
          render();
        }
      }
    }, 150));
  }

  function audienceLabel(s) {
    if (s.isGroupSession || s.cohortId) return 'Group · ' + (ctx.cohortName(s.cohortId) || 'cohort');
    if (ctx.user.role === 'student') return 'One-to-one with ' + (ctx.mentorName(s.mentorId) || 'your mentor');
    return 'With ' + (ctx.studentName(s.studentId) || 'student #' + s.studentId);
  }

  const ATTENDANCE_WORDS = { attended: 'attended', absent: 'missed it', pending: 'not marked yet' };
  const openRolls = new Set();

  function myAttendance(s) {
    const mine = (s.attendees || []).find(a => a.studentId === ctx.user.id);
    return mine ? mine.attendance : 'pending';
  }

  /** The mentor's view of who came: "Student A attended" for a 1:1, counts for a group session. */
  function attendanceSummary(s) {
    const attendees = s.attendees || [];
    if (!attendees.length) return null;
    if (!s.isGroupSession && attendees.length === 1) {
      const a = attendees[0];
      return (ctx.studentName(a.studentId) || 'The student') + ' ' + ATTENDANCE_WORDS[a.attendance];
    }
    const n = kind => attendees.filter(a => a.attendance === kind).length;
    return `${n('attended')} attended · ${n('absent')} missed · ${n('pending')} not marked`;
  }

  function item(s) {
    const start = new Date(s.startTime);
    const buttons = [];
    const started = start <= new Date();
    const manages = isMentor || ctx.user.role === 'admin';
    if (isMentor && s.status === 'scheduled') {
      if (started) {
        buttons.push(statusButton(s, 'completed', 'btn btn-small', 'Mark completed'));
        buttons.push(statusButton(s, 'missed', 'btn btn-small', 'Missed'));
      }
      buttons.push(statusButton(s, 'cancelled', 'btn btn-small btn-quiet', 'Cancel'));
    }
    if (manages && started && s.status !== 'cancelled' && (s.attendees || []).length) {
      buttons.push(h('button', {
        class: 'btn btn-small btn-secondary roll-toggle', 'aria-expanded': String(openRolls.has(s.id)),
        'aria-controls': 'roll-' + s.id, onclick: () => toggleRoll(s)
      }, 'Take the roll'));
    }
    let mine = null;
    if (ctx.user.role === 'student' && started && s.status !== 'cancelled') {
      // students do not change a session's status; they mark their own attendance once it has started
      const attendance = myAttendance(s);
      mine = h('span', { class: 'attendance attendance-' + attendance, dataset: { attendance } },
        attendance === 'pending' ? 'Your attendance is not marked yet' : 'You ' + ATTENDANCE_WORDS[attendance]);
      if (attendance !== 'attended') {
        buttons.push(actions.mark(h('button', { class: 'btn btn-small', dataset: { mark: 'attended' }, onclick: e => markAttendance(s, 'attended', e.currentTarget) },
          attendance === 'pending' ? 'I attended' : 'I did attend'), s.id + ':mark:attended'));
      }
      if (attendance !== 'absent') {
        buttons.push(actions.mark(h('button', { class: 'btn btn-small btn-quiet', dataset: { mark: 'absent' }, onclick: e => markAttendance(s, 'absent', e.currentTarget) },
          attendance === 'pending' ? 'I missed it' : 'I missed it after all'), s.id + ':mark:absent'));
      }
    }
    const summary = manages && started ? attendanceSummary(s) : null;
    const li = h('li', { class: 'session' + (s._fresh ? ' is-new' : ''), dataset: { id: String(s.id) } },
      h('div', { class: 'date-badge', 'aria-hidden': 'true' },
        h('span', { class: 'date-day' }, String(start.getDate())),
        h('span', { class: 'date-month' }, start.toLocaleString(undefined, { month: 'short' }))),
      h('div', { class: 'item-body' },
        h('div', { class: 'item-title' }, h('span', { class: 'session-title' }, s.title), ' ', statusChip(s.status)),
        h('div', { class: 'item-meta' },
          h('time', { datetime: s.startTime }, formatDateTimeNoZone(s.startTime)), '–', h('time', { datetime: s.endTime }, formatTime(s.endTime)),
          ' · ', audienceLabel(s), s.focusStack ? ' · ' + s.focusStack : ''),
        mine ? h('div', { class: 'item-meta' }, mine) : null,
        summary ? h('div', { class: 'item-meta attendance-summary' }, summary) : null,
        s.description ? h('p', { class: 'item-text' }, s.description) : null),
      buttons.length ? h('div', { class: 'item-actions' }, buttons) : null,
      manages && openRolls.has(s.id) ? roll(s) : null);
    s._fresh = false;
    return li;
  }

  async function toggleRoll(s) {
    if (openRolls.has(s.id)) openRolls.delete(s.id);
    else {
      openRolls.add(s.id);
      // the list may hold a group session without its roll (from an event): read it whole
      if (!s.attendees || s.isGroupSession) refetch(s.id);
    }
    render();
    const toggle = root.querySelector(`li[data-id="${s.id}"] .roll-toggle`);
    if (toggle) toggle.focus();
  }

  /** Who came and who missed, one row per attendee, each marked with one click. */
  function roll(s) {
    return h('fieldset', { class: 'roll', id: 'roll-' + s.id },
      h('legend', {}, 'Roll of “' + s.title + '”'),
      h('ul', { class: 'roll-list' }, (s.attendees || []).map(a => {
        const name = ctx.studentName(a.studentId) || 'Student #' + a.studentId;
        const choice = value => actions.mark(h('button', {
          type: 'button', class: 'btn btn-small' + (a.attendance === value ? ' is-chosen' : ' btn-quiet'),
          'aria-pressed': String(a.attendance === value), dataset: { mark: value },
          onclick: e => markFor(s, a.studentId, value, e.currentTarget)
        }, value === 'attended' ? 'Came' : 'Missed'), `${s.id}:roll:${a.studentId}:${value}`);
        return h('li', { class: 'roll-row', dataset: { student: String(a.studentId), attendance: a.attendance } },
          h('span', { class: 'roll-name' }, name),
          h('span', { class: 'roll-state' }, ATTENDANCE_WORDS[a.attendance]),
          h('span', { class: 'roll-choices', role: 'group', 'aria-label': 'Attendance of ' + name },
            choice('attended'), choice('absent')));
      })));
  }

  /** One click in the roll; the row is drawn again and the mentor stays on the button (actions.run). */
  function markFor(s, studentId, attendance, button) {
    return actions.run(`${s.id}:roll:${studentId}:${attendance}`, button, async () => {
      try {
        upsert(await ctx.api.put('/api/schedules/' + s.id + '/attendance', { studentId, attendance }));
      } catch (e) {
        ctx.toast('Could not record attendance: ' + describeError(e), 'error');
      }
    });
  }

  function statusButton(s, status, className, label) {
    return actions.mark(h('button', {
      class: className, dataset: { status },
      onclick: e => (status === 'cancelled' ? cancel(s, e.currentTarget) : changeStatus(s, status, e.currentTarget))
    }, label), s.id + ':status:' + status);
  }

  async function cancel(s, button) {
    if (!window.confirm(`Cancel “${s.title}”? Its students are told.`)) return;
    await changeStatus(s, 'cancelled', button);
  }

  const STATUS_DONE = { completed: 'Session marked completed', missed: 'Session marked missed', cancelled: 'Session cancelled' };

  function changeStatus(s, status, button) {
    return actions.run(s.id + ':status:' + status, button, async () => {
      try {
        upsert(await ctx.api.patch('/api/schedules/' + s.id + '/status', { status }));
        ctx.toast(STATUS_DONE[status] || 'Session updated', 'success');
      } catch (e) {
        ctx.toast('Could not update the session: ' + describeError(e), 'error');
      }
    });
  }

  function markAttendance(s, attendance, button) {
    return actions.run(s.id + ':mark:' + attendance, button, async () => {
      try {
        upsert(await ctx.api.put('/api/schedules/' + s.id + '/attendance', { attendance }));
        ctx.toast(attendance === 'attended' ? 'Attendance recorded. Thank you!' : 'Marked as missed', 'success');
      } catch (e) {
        ctx.toast('Could not record attendance: ' + describeError(e), 'error');
      }
    });
  }

  function render() {
    const now = Date.now();
    const all = [...sessions.values()].sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id - b.id);
    const upcoming = all.filter(s => s.status === 'scheduled' && new Date(s.endTime).getTime() >= now);
    const past = all.filter(s => !upcoming.includes(s)).reverse();
    fill(list, upcoming.length ? upcoming.map(item)
      : h('li', { class: 'empty' }, isMentor ? 'No upcoming sessions. Schedule one above.' : 'No upcoming sessions yet.'));
    fill(pastList, past.map(item));
    pastBox.hidden = past.length === 0;
    count.textContent = upcoming.length ? String(upcoming.length) + ' upcoming' : '';
  }

  return { root, load, apply, onNotification, onReconnect, refreshOptions: fillAudience };
}
