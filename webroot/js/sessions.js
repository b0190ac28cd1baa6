// Sessions: everyone sees the sessions they are in (GET /api/schedules); mentors schedule new ones.
import { h, fill, formValues, formatDateTime, formatTime, localInputToIso, toLocalInput, statusChip } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError } from './forms.js';
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

  function sessionForm() {
    const start = new Date(Date.now() + 24 * 3600_000);
    start.setMinutes(0, 0, 0);
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
    const button = f.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await ctx.api.post('/api/schedules', body);
      upsert(created, true);
      f.querySelector('#session-title').value = '';
      f.querySelector('#session-description').value = '';
      f.closest('details').open = false; // show the list, where the new session now is
      ctx.toast('Session scheduled: ' + created.title, 'success');
    } catch (err) {
      showFormError(f, err, { studentId: 'audience', cohortId: 'audience', isGroupSession: 'audience' });
    } finally {
      button.disabled = false;
    }
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
    const schedule = event.data && event.data.schedule;
    if (schedule && schedule.id) upsert(schedule, true);
    else load();
  }

  function audienceLabel(s) {
    if (s.isGroupSession || s.cohortId) return 'Group · ' + (ctx.cohortName(s.cohortId) || 'cohort');
    if (ctx.user.role === 'student') return 'One-to-one with your mentor';
    return 'With ' + (ctx.studentName(s.studentId) || 'student #' + s.studentId);
  }

  function item(s) {
    const start = new Date(s.startTime);
    const actions = [];
    const started = start <= new Date();
    if (isMentor && s.status === 'scheduled') {
      if (started) {
        actions.push(h('button', { class: 'btn btn-small', onclick: () => changeStatus(s, 'completed') }, 'Mark completed'));
        actions.push(h('button', { class: 'btn btn-small', onclick: () => changeStatus(s, 'missed') }, 'Missed'));
      }
      actions.push(h('button', { class: 'btn btn-small btn-quiet', onclick: () => changeStatus(s, 'cancelled') }, 'Cancel'));
    }
    if (ctx.user.role === 'student' && started && s.status !== 'cancelled' && !s._attendance) {
      // students do not change a session's status; they mark their own attendance once it has started
      actions.push(h('button', { class: 'btn btn-small', onclick: () => markAttendance(s, 'attended') }, 'I attended'));
      actions.push(h('button', { class: 'btn btn-small btn-quiet', onclick: () => markAttendance(s, 'absent') }, 'I missed it'));
    }
    const li = h('li', { class: 'session' + (s._fresh ? ' is-new' : ''), dataset: { id: String(s.id) } },
      h('div', { class: 'date-badge', 'aria-hidden': 'true' },
        h('span', { class: 'date-day' }, String(start.getDate())),
        h('span', { class: 'date-month' }, start.toLocaleString(undefined, { month: 'short' }))),
      h('div', { class: 'item-body' },
        h('div', { class: 'item-title' }, h('span', { class: 'session-title' }, s.title), ' ', statusChip(s.status)),
        h('div', { class: 'item-meta' },
          h('time', { datetime: s.startTime }, formatDateTime(s.startTime)), '–', h('time', { datetime: s.endTime }, formatTime(s.endTime)),
          ' · ', audienceLabel(s), s.focusStack ? ' · ' + s.focusStack : '',
          s._attendance ? ' · you ' + (s._attendance === 'attended' ? 'attended' : 'missed it') : ''),
        s.description ? h('p', { class: 'item-text' }, s.description) : null),
      actions.length ? h('div', { class: 'item-actions' }, actions) : null);
    s._fresh = false;
    return li;
  }

  async function changeStatus(s, status) {
    try {
      upsert(await ctx.api.patch('/api/schedules/' + s.id + '/status', { status }));
      ctx.toast(`Session ${status}`, 'success');
    } catch (e) {
      ctx.toast('Could not update the session: ' + describeError(e), 'error');
    }
  }

  async function markAttendance(s, attendance) {
    try {
      const reply = await ctx.api.put('/api/schedules/' + s.id + '/attendance', { attendance });
      upsert({ ...(reply && reply.id === s.id ? reply : {}), id: s.id, _attendance: attendance });
      ctx.toast(attendance === 'attended' ? 'Attendance recorded. Thank you!' : 'Marked as missed', 'success');
    } catch (e) {
      ctx.toast('Could not record attendance: ' + describeError(e), 'error');
    }
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

  return { root, load, apply, refreshOptions: fillAudience };
}
