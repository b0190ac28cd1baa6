// The portal's browser client: sign-in, then a role-aware dashboard kept live over the SockJS event bus.
import { h, $, fill, formValues } from './js/dom.js';
import { createApi, describeError } from './js/api.js';
import { showFormError, clearFormError } from './js/forms.js';
import { Realtime } from './js/realtime.js';
import { createBell } from './js/notifications.js';
import { createSessions } from './js/sessions.js';
import { createEntries } from './js/entries.js';
import { createTasks } from './js/tasks.js';
import { createActivity } from './js/activity.js';
import { createMetrics } from './js/metrics.js';
import { createPeople } from './js/people.js';

const TOKEN_KEY = 'portal.token';
const ROLE_BLURB = {
  student: 'Your sessions, learning journal and tasks, kept up to date as your mentor works.',
  mentor: 'Your students’ sessions, journals and tasks, live.',
  admin: 'Everything happening across the school, live.'
};

const api = createApi({
  token: () => sessionStorage.getItem(TOKEN_KEY),
  onUnauthorized: () => signOut('Your session has expired. Please sign in again.')
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
  const signIn = h('form', { id: 'login-form', class: 'stack-form', 'aria-labelledby': 'tab-signin' },
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, 'Email'),
      h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'),
      h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('button', { id: 'login-submit', type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in'));
  signIn.addEventListener('submit', e => authenticate(e, '/api/auth/login'));

  const register = h('form', { id: 'register-form', class: 'stack-form', hidden: true, 'aria-labelledby': 'tab-register' },
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

  const tab = (id, label, form) => h('button', {
    id, type: 'button', role: 'tab', class: 'tab', 'aria-selected': String(form === signIn),
    onclick: () => {
      signIn.hidden = form !== signIn;
      register.hidden = form !== register;
      view.querySelectorAll('[role=tab]').forEach(t => t.setAttribute('aria-selected', String(t.id === id)));
      form.querySelector('input').focus();
    }
  }, label);

  fill(view, h('div', { class: 'auth-card' },
    h('div', { class: 'auth-intro' },
      h('h1', {}, 'Welcome to the Mentoring Portal'),
      h('p', {}, 'Plan sessions with your mentor, keep a learning journal and follow your tasks — all in one place.')),
    h('div', { class: 'auth-forms' },
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Sign in or register' },
        tab('tab-signin', 'Sign in', signIn), tab('tab-register', 'Register', register)),
      notice, signIn, register)));
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
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const reply = await api.post(path, formValues(form));
    sessionStorage.setItem(TOKEN_KEY, reply.token);
    await startDashboard();
  } catch (err) {
    if (err.status === 401) err.details = [];
    showFormError(form, err.status === 401 ? Object.assign(err, { message: 'That email and password do not match.' }) : err);
  } finally {
    button.disabled = false;
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

// ------------------------------------------------------------------ dashboard
/** Every room this user may join, per the contract. */
function roomsFor(user, cohorts) {
  const rooms = ['user:' + user.id, 'role:' + user.role];
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
  function listsChanged() {
    sessions.refreshOptions();
    tasks.refreshOptions();
    if (people) people.render();
  }
  const panels = [sessions, entries, tasks, activity];

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
  function showCohort() {
    const name = user.role === 'student' && user.cohortId ? ctx.cohortName(user.cohortId) : null;
    cohortChip.textContent = name ? 'Cohort: ' + name : '';
    cohortChip.hidden = !name;
  }
  showCohort();
  const dashboard = $('#dashboard');
  fill(dashboard,
    h('div', { class: 'welcome' },
      h('div', {}, h('h1', {}, greeting(user.name)), h('p', {}, ROLE_BLURB[user.role] || '')),
      cohortChip),
    h('div', { class: 'layout' },
      h('div', { class: 'col-main' }, sessions.root, entries.root, tasks.root, people ? people.root : null),
      h('aside', { class: 'col-side', 'aria-label': 'Overview' }, metrics ? metrics.root : null, activity.root)));
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
    onNotification: message => bell.onMessage(message),
    onMetrics: message => metrics && metrics.onMessage(message),
    onReconnect: () => {
      // notifications and metrics are state, not replayed events: fetch them again
      bell.load();
      if (metrics) metrics.load();
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
  await Promise.all([sessions.load(), entries.load(), tasks.load(), bell.load(), metrics ? metrics.load() : null]);
  if (current && current.realtime === realtime) realtime.start();
}

function setConnection(status) {
  const el = $('#connection');
  el.dataset.status = status;
  el.textContent = status === 'online' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  el.title = status === 'online' ? 'Updates appear as they happen' : 'Updates will resume when the connection is back';
}

// ------------------------------------------------------------------ boot
$('#sign-out').addEventListener('click', () => signOut('You have signed out.'));

(async function boot() {
  if (typeof EventBus === 'undefined' || typeof SockJS === 'undefined') {
    toast('Live updates are unavailable: the real-time client did not load.', 'error');
  }
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
