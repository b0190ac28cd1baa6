// Tasks: mentors assign them to a student or a cohort; each student updates their own progress.
import { h, fill, formValues, formatDate, localInputToIso, humanize, statusChip } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError, busy, pendingActions } from './forms.js';
import { mentorField, fillAudience, audienceFields } from './audience.js';

/** A student's own progress moves (docs/tasks.md): the select offers the current step and the legal next ones. */
const NEXT = { open: ['in_progress'], in_progress: ['done'], done: ['in_progress'] };
const ORDER = ['open', 'in_progress', 'done'];

export function createTasks(ctx) {
  const role = ctx.user.role;
  const tasks = new Map();
  const list = h('ul', { id: 'tasks-list', class: 'item-list', 'aria-label': 'Tasks' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const composer = role === 'mentor' || role === 'admin' ? taskForm() : null; // an admin on a mentor's behalf
  const root = h('section', { class: 'card', id: 'tasks-panel', 'aria-labelledby': 'tasks-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'tasks-title' }, role === 'student' ? 'My tasks' : 'Tasks')),
    composer, error, list);
  // a row drawn again while its progress is being saved (the live event can come first) keeps the select busy
  const actions = pendingActions(root);

  function taskForm() {
    const f = h('form', { id: 'task-form', class: 'stack-form', onsubmit: create },
      h('div', { class: 'field' }, h('label', { for: 'task-title' }, 'Task'),
        h('input', { id: 'task-title', name: 'title', required: true, maxlength: '200', placeholder: 'e.g. Read chapter 3' })),
      mentorField(ctx, 'task-mentor', () => refreshOptions()),
      h('div', { class: 'field' }, h('label', { for: 'task-audience' }, 'Assign to'),
        h('select', { id: 'task-audience', name: 'audience', required: true })),
      h('div', { class: 'field' }, h('label', { for: 'task-due' }, 'Due ', h('span', { class: 'optional' }, '(optional)')),
        h('input', { id: 'task-due', name: 'dueAt', type: 'datetime-local' })),
      h('div', { class: 'field' }, h('label', { for: 'task-description' }, 'Details ', h('span', { class: 'optional' }, '(optional)')),
        h('textarea', { id: 'task-description', name: 'description', rows: '2', maxlength: '5000' })),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Assign task')));
    return h('details', { class: 'composer' }, h('summary', { class: 'btn btn-secondary' }, 'Assign a task'), f);
  }

  function refreshOptions() {
    fillAudience(ctx, root.querySelector('#task-form'), root.querySelector('#task-audience'), 'Whole cohort');
  }

  async function create(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    const v = formValues(f);
    const body = { title: v.title || '', ...audienceFields(v) };
    if (v.description) body.description = v.description;
    if (v.dueAt) body.dueAt = localInputToIso(v.dueAt);
    const done = busy(f.querySelector('button[type=submit]'), 'Assigning…');
    try {
      const task = await ctx.api.post('/api/tasks', body);
      upsert(task);
      f.reset(); // nothing carries over into the next task
      refreshOptions();
      ctx.toast('Task assigned: ' + task.title, 'success');
    } catch (err) {
      showFormError(f, err, { studentId: 'audience', cohortId: 'audience' });
    } finally {
      done();
    }
  }

  async function load() {
    try {
      const page = await ctx.api.get('/api/tasks');
      tasks.clear();
      for (const t of page.items || []) tasks.set(t.id, t);
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = 'Tasks could not be loaded: ' + describeError(e);
      error.hidden = false;
    }
  }

  function upsert(task) {
    tasks.set(task.id, { ...(tasks.get(task.id) || {}), ...task });
    render();
  }

  let reloadTimer = null;
  function apply(event) {
    if (!event.type.startsWith('task:')) return;
    const data = event.data || {};
    const task = data.task;
    if (event.type === 'task:progressed' && task && task.id) {
      // one assignee moved: merge their entry into the list we hold (the event lists nobody else)
      const known = tasks.get(task.id);
      if (!known && role === 'student') return;
      const assignees = ((known && known.assignees) || []).filter(a => a.studentId !== data.assignee.studentId);
      assignees.push(data.assignee);
      assignees.sort((a, b) => a.studentId - b.studentId);
      const merged = { ...task, assignees, _fresh: true };
      if (role === 'student') merged.myStatus = data.assignee.studentId === ctx.user.id ? data.assignee.status : known.myStatus;
      upsert(merged);
      return;
    }
    if (task && task.id) upsert(task);
    else {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, 300);
    }
  }

  /** A student's own progress: per-assignee fields when the server gives them, else the task's status. */
  function progressOf(task) {
    return task.myStatus || task.assigneeStatus || (task.assignee && task.assignee.status) || task.status;
  }

  function assigneeLabel(task) {
    if (task.cohortId) return 'Cohort · ' + (ctx.cohortName(task.cohortId) || '#' + task.cohortId);
    if (role === 'student') return 'Assigned to you';
    return ctx.studentName(task.studentId) || 'Student #' + task.studentId;
  }

  const PROGRESS_WORDS = { open: 'not started', in_progress: 'in progress', done: 'done' };

  /** The mentor's view of progress: "Student A: in progress" for one student, "2 of 5 done" for a cohort. */
  function progressSummary(task) {
    const assignees = task.assignees || [];
    if (role === 'student' || !assignees.length) return null;
    if (!task.cohortId) {
      const a = assignees[0];
      return (ctx.studentName(a.studentId) || 'The student') + ': ' + PROGRESS_WORDS[a.status];
    }
    const done = assignees.filter(a => a.status === 'done').length;
    const started = assignees.filter(a => a.status === 'in_progress').length;
    return `${done} of ${assignees.length} done · ${started} in progress`;
  }

  function item(task) {
    const status = progressOf(task);
    let control;
    if (role === 'student' && status !== 'cancelled') {
      const id = 'task-status-' + task.id;
      control = h('div', { class: 'inline-field' },
        h('label', { for: id, class: 'sr-only' }, 'Progress on ' + task.title),
        actions.mark(h('select', { id, class: 'status-select', onchange: e => setProgress(task, e.target) },
          ORDER.filter(s => s === status || (NEXT[status] || []).includes(s))
            .map(s => h('option', { value: s, selected: s === status }, s === 'in_progress' && status === 'done' ? 'Reopen' : humanize(s)))),
        task.id + ':progress'));
    } else {
      control = statusChip(status);
    }
    const summary = progressSummary(task);
    const li = h('li', { class: 'task' + (task._fresh ? ' is-new' : ''), dataset: { id: String(task.id), status } },
      h('div', { class: 'item-body' },
        h('div', { class: 'item-title' }, task.title),
        h('div', { class: 'item-meta' }, assigneeLabel(task), task.dueAt ? ' · due ' + formatDate(task.dueAt) : ''),
        summary ? h('div', { class: 'item-meta task-progress' }, summary) : null,
        task.description ? h('p', { class: 'item-text' }, task.description) : null),
      h('div', { class: 'item-actions' }, control));
    task._fresh = false;
    return li;
  }

  /** The row is drawn again when it is saved (or refused: back to the step it was at), the focus still on it. */
  function setProgress(task, select) {
    const previous = progressOf(task);
    const status = select.value;
    return actions.run(task.id + ':progress', select, async () => {
      try {
        const updated = await ctx.api.patch('/api/tasks/' + task.id + '/status', { status });
        // the student's own progress is what they just set, whatever overall status a cohort task reports
        upsert({ ...(updated || {}), id: task.id, myStatus: status });
        ctx.toast(status === 'done' ? 'Marked done. Your mentor has been told.'
          : previous === 'done' ? 'Reopened' : 'Progress saved: in progress', 'success');
      } catch (e) {
        select.value = previous;
        ctx.toast('Could not update the task: ' + describeError(e), 'error');
      }
    });
  }

  function render() {
    const items = [...tasks.values()].sort((a, b) =>
      (a.dueAt || '9999').localeCompare(b.dueAt || '9999') || b.id - a.id);
    fill(list, items.length ? items.map(item)
      : h('li', { class: 'empty' }, role === 'mentor' ? 'No tasks yet. Assign one above.' : 'No tasks right now.'));
  }

  return { root, load, apply, refreshOptions };
}
