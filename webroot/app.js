// The portal's browser client: sign-in, then a role-aware dashboard kept live over the SockJS event bus.
import { h, $, fill, formValues } from './js/dom.js';
import { createApi, describeError } from './js/api.js';
import { showFormError, clearFormError, busy } from './js/forms.js';
import { Realtime } from './js/realtime.js';
import { createBell } from './js/notifications.js';
import { createSessions } from './js/sessions.js';
import { createEntries } from './js/entries.js';
import { createTasks } from './js/tasks.js';
import { createActivity } from './js/activity.js';
import { createMetrics } from './js/metrics.js';
import { createPeople } from './js/people.js';
import { createCluster } from './js/cluster.js';
import { createUsers } from './js/users.js';
import { createAudit } from './js/audit.js';

const TOKEN_KEY = 'portal.token';
const ROLE_BLURB = {
  student: 'Your sessions, learning journal and tasks, kept up to date as your mentor works.',
  mentor: 'Your students’ sessions, journals and tasks, live.',
  admin: 'Everything happening across the school, live.'
};

const api = createApi({
  token: () => sessionStorage.getItem(TOKEN_KEY),
  // a deactivated account is told so; anything else is an expired session
  onUnauthorized: failure => signOut(failure && /deactivated/.test(failure.message)
    ? 'Your account has been deactivated. Ask your school’s admin if this is a mistake.'
    : 'Your session has expired. Please sign in again.'),
  // a request that cannot reach the portal shows "Reconnecting…" at once; the socket's next open shows "Live"
  onUnreachable: () => {
    if (!current) return;
    setConnection('offline');
    // only the request's node was gone if the socket (on another node) stayed open
    setTimeout(() => { if (current && current.realtime.isOpen()) setConnection('online'); }, 3000);
  }
});

let current = null; // { user, realtime, bell, ... } while signed in

// ------------------------------------------------------------------ toasts
function toast(text, kind = 'info') {
  const box = $('#toasts');
  const el = h('div', { class: 'toast toast-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(el);
  setTimeout(() => el.classList.add('leaving'), kind === 'error' ? 7000 : 4000);
  setTimeout(() => el.remove(), kind === 'error' ? 7500 : 4500);
}

// ------------------------------------------------------------------ sign in / register
function showAuth(message) {
  $('#session-area').hidden = true;
  $('#dashboard').hidden = true;
  fill($('#dashboard'));
  const view = $('#auth-view');
  view.hidden = false;
  const notice = h('p', { class: 'notice', role: 'status', hidden: !message }, message || '');

  // an invitation link (/?invitation=CODE) opens the Register tab with the code filled in
  const invitation = new URLSearchParams(location.search).get('invitation') || '';
  const signIn = h('form', { id: 'login-form', class: 'stack-form' },
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, 'Email'),
      h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'),
      h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('button', { id: 'login-submit', type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in'));
  signIn.addEventListener('submit', e => authenticate(e, '/api/auth/login'));

  const register = h('form', { id: 'register-form', class: 'stack-form' },
    h('div', { class: 'field' }, h('label', { for: 'register-name' }, 'Full name'),
      h('input', { id: 'register-name', name: 'name', autocomplete: 'name', required: true, maxlength: '200' })),
    h('div', { class: 'field' }, h('label', { for: 'register-email' }, 'School email'),
      h('input', { id: 'register-email', name: 'email', type: 'email', autocomplete: 'email', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'register-password' }, 'Password'),
      h('input', { id: 'register-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '8' }),
      h('p', { class: 'hint' }, 'At least 8 characters.')),
    h('div', { class: 'field' }, h('label', { for: 'register-invitation' }, 'Invitation code'),
      h('input', { id: 'register-invitation', name: 'invitation', autocomplete: 'off', maxlength: '100', value: invitation }),
      h('p', { class: 'hint' }, 'From your mentor or school: it places you in your cohort.')),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('button', { id: 'register-submit', type: 'submit', class: 'btn btn-primary btn-block' }, 'Create student account'));
  register.addEventListener('submit', e => authenticate(e, '/api/auth/register'));

  // the ARIA tabs pattern: each form in a tab panel of its own
  const panels = new Map([
    [signIn, h('div', { role: 'tabpanel', id: 'signin-panel', 'aria-labelledby': 'tab-signin' }, signIn)],
    [register, h('div', { role: 'tabpanel', id: 'register-panel', 'aria-labelledby': 'tab-register', hidden: true }, register)]]);
  function select(id, form, focusTab) {
    for (const [f, panel] of panels) panel.hidden = f !== form;
    view.querySelectorAll('[role=tab]').forEach(t => {
      t.setAttribute('aria-selected', String(t.id === id));
      t.tabIndex = t.id === id ? 0 : -1; // one tab stop; the arrow keys move between tabs
    });
    if (focusTab) view.querySelector('#' + id).focus();
    else form.querySelector('input').focus();
  }
  const tab = (id, label, form) => h('button', {
    id, type: 'button', role: 'tab', class: 'tab', 'aria-selected': String(form === signIn),
    'aria-controls': panels.get(form).id, tabindex: form === signIn ? '0' : '-1',
    onclick: () => select(id, form, false),
    onkeydown: e => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
      e.preventDefault();
      const other = form === signIn ? ['tab-register', register] : ['tab-signin', signIn];
      const first = e.key === 'Home' ? ['tab-signin', signIn] : e.key === 'End' ? ['tab-register', register] : other;
      select(first[0], first[1], true);
    }
  }, label);

  fill(view, h('div', { class: 'auth-card' },
    h('div', { class: 'auth-intro' },
      h('h1', {}, 'Welcome to the Mentoring Portal'),
      h('p', {}, 'Plan sessions with your mentor, keep a learning journal and follow your tasks — all in one place.')),
    h('div', { class: 'auth-forms' },
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Sign in or register' },
        tab('tab-signin', 'Sign in', signIn), tab('tab-register', 'Register', register)),
      notice, panels.get(signIn), panels.get(register))));
  if (invitation) {
    $('#tab-register').click();
  } else {
    $('#login-email').focus();
  }
}

async function authenticate(e, path) {
  e.preventDefault();
  const form = e.currentTarget;
  clearFormError(form);
  // a slow API must not look like a dead button
  const done = busy(form.querySelector('button[type=submit]'), path.endsWith('/login') ? 'Signing in…' : 'Creating your account…');
  try {
    const reply = await api.post(path, formValues(form));
    sessionStorage.setItem(TOKEN_KEY, reply.token);
    await startDashboard();
  } catch (err) {
    if (err.status === 401) err.details = [];
    showFormError(form, err.status === 401 ? Object.assign(err, { message: 'That email and password do not match.' }) : err);
  } finally {
    done();
  }
}

function signOut(message) {
  if (current) {
    current.realtime.stop();
    current = null;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  showAuth(message);
}

// ------------------------------------------------------------------ a one-time password link (#reset=…)
function showReset(token) {
  $('#session-area').hidden = true;
  $('#dashboard').hidden = true;
  const view = $('#auth-view');
  view.hidden = false;
  const form = h('form', { id: 'reset-form', class: 'stack-form', 'aria-labelledby': 'reset-title' },
    h('div', { class: 'field' }, h('label', { for: 'reset-password' }, 'New password'),
      h('input', { id: 'reset-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '8' }),
      h('p', { class: 'hint' }, 'At least 8 characters.')),
    h('div', { class: 'field' }, h('label', { for: 'reset-confirm' }, 'The same again'),
      h('input', { id: 'reset-confirm', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true, minlength: '8' })),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('button', { id: 'reset-submit', type: 'submit', class: 'btn btn-primary btn-block' }, 'Set my password'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearFormError(form);
    const v = formValues(form);
    if (v.password !== v.confirm) {
      showFormError(form, { message: 'The two passwords differ.', details: [{ field: 'confirm', problem: 'differs' }] });
      return;
    }
    const done = busy(form.querySelector('button[type=submit]'), 'Saving…');
    try {
      const reply = await api.post('/api/auth/password-reset', { token, password: v.password });
      history.replaceState(null, '', location.pathname); // the link is spent: keep it out of the address bar
      sessionStorage.setItem(TOKEN_KEY, reply.token);
      await startDashboard();
      toast('Your new password is set.', 'success');
    } catch (err) {
      showFormError(form, err, { token: 'password' });
    } finally {
      done();
    }
  });
  fill(view, h('div', { class: 'auth-card' },
    h('div', { class: 'auth-intro' }, h('h1', { id: 'reset-title' }, 'Set a new password'),
      h('p', {}, 'Your school’s admin gave you this link. It works once.')),
    h('div', { class: 'auth-forms' }, form)));
  $('#reset-password').focus();
}

// ------------------------------------------------------------------ dashboard
/** Every room this user may join, per the contract. */
function roomsFor(user, cohorts) {
  const rooms = ['user:' + user.id, 'role:' + user.role];
  if (user.role === 'admin') rooms.push('ops:cluster'); // the nodes' state, for the cluster panel
  if (user.role === 'student') {
    rooms.push('student:' + user.id);
    if (user.cohortId) rooms.push('cohort:' + user.cohortId);
  } else if (user.role === 'mentor') {
    rooms.push('mentor:' + user.id);
    for (const c of cohorts) if ((c.mentorIds || []).includes(user.id)) rooms.push('cohort:' + c.id);
  }
  return [...new Set(rooms)];
}

function greeting(name) {
  const hour = new Date().getHours();
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  return `${part}, ${(name || '').split(' ')[0]}`;
}

async function startDashboard() {
  const user = await api.get('/api/auth/me');
  const lists = { students: [], cohorts: [], mentors: [] };
  const ctx = {
    api, user, toast,
    students: () => lists.students,
    mentors: () => lists.mentors, // admins only: whom a session or task is on behalf of
    mentorName: id => ((user.mentors || []).find(m => m.id === id) || lists.mentors.find(m => m.id === id) || {}).name,
    myCohorts: () => lists.cohorts.filter(c => user.role !== 'mentor' || (c.mentorIds || []).includes(user.id)),
    studentName: id => (lists.students.find(s => s.id === id) || {}).name,
    cohortName: id => (lists.cohorts.find(c => c.id === id) || {}).name,
    // an admin's changes in the People panel, reflected in every list that shows students or cohorts
    updateStudent: updated => {
      lists.students = lists.students.map(s => (s.id === updated.id ? updated : s));
      listsChanged();
    },
    addCohort: cohort => {
      lists.cohorts = [...lists.cohorts, cohort];
      listsChanged();
    }
  };

  const [cohorts, students, mentors] = await Promise.all([
    api.get('/api/cohorts').then(p => p.items || []).catch(() => []),
    user.role === 'student' ? Promise.resolve([]) : api.get('/api/students').then(p => p.items || []).catch(() => []),
    user.role === 'admin' ? api.get('/api/mentors').then(p => p.items || []).catch(() => []) : Promise.resolve([])
  ]);
  lists.cohorts = cohorts;
  lists.students = students;
  lists.mentors = mentors;

  const bell = createBell(ctx);
  const sessions = createSessions(ctx);
  const entries = createEntries(ctx);
  const tasks = createTasks(ctx);
  const activity = createActivity(ctx);
  const metrics = user.role === 'student' ? null : createMetrics(ctx);
  const people = user.role === 'admin' ? createPeople(ctx) : null;
  const cluster = user.role === 'admin' ? createCluster(ctx) : null;
  const users = user.role === 'admin' ? createUsers(ctx) : null;
  const audit = user.role === 'admin' ? createAudit(ctx) : null;
  function listsChanged() {
    sessions.refreshOptions();
    tasks.refreshOptions();
    if (people) people.render();
  }
  const panels = [sessions, entries, tasks, activity];

  // a notification's object, shown where it lives on the page (the row focused and highlighted)
  ctx.reveal = event => {
    const target = event.target || {};
    const data = event.data || {};
    let selector = null;
    if (target.type === 'schedule') selector = `#sessions-panel li[data-id="${target.id}"]`;
    else if (target.type === 'task') selector = `#tasks-list li[data-id="${target.id}"]`;
    else if (target.type === 'entry' || target.type === 'comment') {
      const id = target.type === 'entry' ? target.id : data.entryId || (data.entry && data.entry.id);
      entries.open(id);
      selector = `#entries-list li[data-id="${id}"]`;
    } else if (target.type === 'user') selector = `#people-list li[data-id="${target.id}"]`;
    const el = selector && document.querySelector(selector);
    if (!el) return false;
    const folded = el.closest('details');
    if (folded) folded.open = true;
    el.scrollIntoView({ block: 'center' });
    el.classList.remove('is-new');
    void el.offsetWidth; // restart the highlight
    el.classList.add('is-new');
    el.tabIndex = -1;
    el.focus();
    return true;
  };

  // header
  fill($('#bell-slot'), bell.root);
  fill($('#user-chip'),
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, (user.name || '?').trim().charAt(0).toUpperCase()),
    h('span', { class: 'user-text' }, h('span', { id: 'user-name', class: 'user-name' }, user.name),
      h('span', { id: 'user-role', class: 'user-role' }, user.role)));
  $('#session-area').hidden = false;
  $('#auth-view').hidden = true;
  fill($('#auth-view'));

  const cohortChip = h('span', { class: 'chip chip-cohort', id: 'cohort-chip', hidden: true });
  const mentorChip = h('span', { class: 'chip chip-cohort', id: 'mentor-chip', hidden: true });
  function showCohort() {
    const name = user.role === 'student' && user.cohortId ? ctx.cohortName(user.cohortId) : null;
    cohortChip.textContent = name ? 'Cohort: ' + name : '';
    cohortChip.hidden = !name;
    // a student's page names who mentors them (GET /api/auth/me lists them)
    const mentors = user.role === 'student' ? (user.mentors || []).map(m => m.name) : [];
    mentorChip.textContent = mentors.length ? (mentors.length === 1 ? 'Your mentor: ' : 'Your mentors: ') + mentors.join(', ') : '';
    mentorChip.hidden = !mentors.length;
  }
  showCohort();
  const dashboard = $('#dashboard');
  fill(dashboard,
    h('div', { class: 'welcome' },
      h('div', {}, h('h1', {}, greeting(user.name)), h('p', {}, ROLE_BLURB[user.role] || '')),
      h('div', { class: 'welcome-chips' }, mentorChip, cohortChip)),
    h('div', { class: 'layout' },
      h('div', { class: 'col-main' }, sessions.root, entries.root, tasks.root, people ? people.root : null,
        users ? users.root : null, audit ? audit.root : null),
      h('aside', { class: 'col-side', 'aria-label': 'Overview' }, metrics ? metrics.root : null, activity.root,
        cluster ? cluster.root : null)));
  dashboard.hidden = false;
  sessions.refreshOptions();
  tasks.refreshOptions();

  async function refreshStudents() {
    if (user.role === 'student') return;
    try {
      lists.students = (await api.get('/api/students')).items || [];
      listsChanged();
    } catch (e) {
      // keep the old list; the next event retries
    }
  }

  // Who the user mentors or is mentored by changed (relationships:changed): re-read the profile and lists, join
  // the rooms now granted, reload the panels whose contents follow those relationships.
  // A change announced while a refresh is running gets a refresh of its own after it (its reads may be too early).
  let refreshing = null;
  let again = false;
  function refreshRelationships() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        try {
          const [me, cohortPage] = await Promise.all([api.get('/api/auth/me'), api.get('/api/cohorts')]);
          Object.assign(user, me);
          lists.cohorts = cohortPage.items || [];
          await refreshStudents();
          showCohort();
          listsChanged();
          realtime.syncRooms();
          await Promise.all([sessions.load(), entries.load(), tasks.load(), metrics ? metrics.load() : null]);
        } catch (e) {
          console.warn('could not refresh after a change of relationships', e);
        }
      } while (again && current && current.realtime === realtime);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  // A room refused or revoked: if it is because the token expired, any API call now answers 401 and signs out.
  let lastDenialCheck = 0;
  function onRoomDenied(room, err) {
    console.warn('room refused', room, err);
    if (Date.now() - lastDenialCheck < 10_000) return;
    lastDenialCheck = Date.now();
    api.get('/api/auth/me').catch(() => {});
  }

  const realtime = new Realtime({
    api,
    token: () => sessionStorage.getItem(TOKEN_KEY),
    rooms: () => roomsFor(user, lists.cohorts),
    onEvent: (event, meta) => {
      if (event.type === 'student:registered') refreshStudents();
      for (const panel of panels) {
        try {
          panel.apply(event, meta);
        } catch (e) {
          console.error('could not apply', event, e);
        }
      }
    },
    onNotification: message => {
      bell.onMessage(message);
      if (message.type === 'notification:created') sessions.onNotification((message.data || {}).notification);
    },
    onMetrics: message => metrics && metrics.onMessage(message),
    onCluster: message => cluster && cluster.onMessage(message),
    onReconnect: () => {
      // notifications and metrics are state, not replayed events: fetch them again
      bell.load();
      if (metrics) metrics.load();
      sessions.onReconnect();
    },
    onStatus: status => setConnection(status),
    onRoomDenied,
    onRelationshipsChanged: () => refreshRelationships()
  });
  current = { user, realtime };

  // the feed's ids count as seen, so recovery starts after the newest one shown
  const shown = await activity.load();
  shown.forEach(id => realtime.remember(id));
  if (people) people.render();
  await Promise.all([sessions.load(), entries.load(), tasks.load(), bell.load(), metrics ? metrics.load() : null,
    users ? users.load() : null, audit ? audit.load() : null]);
  if (current && current.realtime === realtime) realtime.start();
}

function setConnection(status) {
  const el = $('#connection');
  el.dataset.status = status;
  el.textContent = status === 'online' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  el.title = status === 'online' ? 'Updates appear as they happen' : 'Updates will resume when the connection is back';
}

// ------------------------------------------------------------------ boot
/** A password link (#reset=…) opened in this tab, at load or pasted into an open page: whoever was signed in leaves. */
function openResetLink() {
  const reset = /^#reset=([A-Za-z0-9_-]{20,200})$/.exec(location.hash);
  if (!reset) return false;
  if (current) {
    current.realtime.stop();
    current = null;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  showReset(reset[1]);
  return true;
}
window.addEventListener('hashchange', openResetLink);

$('#sign-out').addEventListener('click', () => signOut('You have signed out.'));

(async function boot() {
  if (typeof EventBus === 'undefined' || typeof SockJS === 'undefined') {
    toast('Live updates are unavailable: the real-time client did not load.', 'error');
  }
  if (openResetLink()) return;
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    showAuth();
    return;
  }
  try {
    await startDashboard();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth(e.status === 401 ? 'Please sign in again.' : 'Could not open your dashboard: ' + describeError(e));
  }
})();
