// People (admins): every student with their mentor and cohort, changed in place; new cohorts. Each change is one API
// call (PUT /api/students/{id}/mentor|cohort, POST /api/cohorts); the server judges it, and the people concerned
// are told live (relationships:changed), so their pages follow without a reload.
import { h, fill, formValues } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError, busy } from './forms.js';

export function createPeople(ctx) {
  const list = h('ul', { id: 'people-list', class: 'item-list', 'aria-label': 'Students' });
  const count = h('span', { class: 'count', id: 'people-count' });
  const filter = h('input', { id: 'people-filter', type: 'search', placeholder: 'Find a student by name or email',
    'aria-label': 'Find a student', oninput: () => render() });
  const mentorChoices = h('fieldset', { class: 'choices', id: 'cohort-mentors' }, h('legend', {}, 'Mentors'));
  const cohortForm = h('form', { id: 'cohort-form', class: 'stack-form', onsubmit: createCohort },
    h('div', { class: 'field' }, h('label', { for: 'cohort-name' }, 'Name'),
      h('input', { id: 'cohort-name', name: 'name', required: true, maxlength: '200', placeholder: 'e.g. Spring 2027' })),
    mentorChoices,
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'cohort-submit' }, 'Create cohort')));
  // students join a cohort only with an invitation (POST /api/cohorts/{id}/invitations); its code is shown once
  const inviteCohort = h('select', { id: 'invite-cohort', name: 'cohortId', required: true });
  const invited = h('p', { id: 'invite-result', class: 'notice', role: 'status', hidden: true });
  const inviteForm = h('form', { id: 'invite-form', class: 'stack-form', onsubmit: invite },
    h('div', { class: 'field' }, h('label', { for: 'invite-cohort' }, 'Cohort'), inviteCohort),
    h('div', { class: 'field' }, h('label', { for: 'invite-uses' }, 'Sign-ups allowed'),
      h('input', { id: 'invite-uses', name: 'maxUses', type: 'number', min: '1', max: '1000', value: '30', required: true })),
    h('p', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'invite-submit' }, 'Create invitation')),
    invited);
  const root = h('section', { class: 'card', id: 'people-panel', 'aria-labelledby': 'people-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'people-title' }, 'People'), count),
    h('details', { class: 'composer', id: 'cohort-composer' },
      h('summary', { class: 'btn btn-secondary' }, 'New cohort'), cohortForm),
    h('details', { class: 'composer', id: 'invite-composer', ontoggle: renderInviteCohorts },
      h('summary', { class: 'btn btn-secondary' }, 'Invite students'), inviteForm),
    h('div', { class: 'field' }, filter),
    list);

  let shownMentors = null;
  function renderMentorChoices() {
    const mentors = ctx.mentors();
    const key = mentors.map(m => m.id + ':' + m.name).join('|');
    if (key === shownMentors) return; // keep what the admin already ticked while the list re-renders
    shownMentors = key;
    const ticked = new Set([...mentorChoices.querySelectorAll('input:checked')].map(c => c.value));
    fill(mentorChoices, h('legend', {}, 'Mentors'), mentors.length ? mentors.map(m =>
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'mentorIds', value: String(m.id),
        checked: ticked.has(String(m.id)) }), ' ', m.name))
      : h('span', { class: 'item-meta' }, 'No mentors yet: create one with scripts/portal-create-user.'));
  }

  function render() {
    renderMentorChoices();
    const students = ctx.students();
    const needle = filter.value.trim().toLowerCase();
    const shown = needle ? students.filter(s => (s.name + ' ' + s.email).toLowerCase().includes(needle)) : students;
    count.textContent = needle ? `${shown.length} of ${students.length}` : String(students.length);
    fill(list, shown.length ? shown.map(row)
      : h('li', { class: 'empty' }, students.length ? 'No student matches.' : 'No students yet.'));
  }

  function row(student) {
    const mentor = select('mentor', student, ctx.mentors(), 'No mentor', student.mentorId);
    const cohort = select('cohort', student, ctx.myCohorts(), 'No cohort', student.cohortId);
    const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
    return h('li', { dataset: { id: String(student.id) } },
      h('div', { class: 'item-body' },
        h('div', { class: 'item-title' }, student.name),
        h('div', { class: 'item-meta' }, student.email),
        problem),
      h('div', { class: 'item-actions' },
        h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Mentor of ' + student.name), mentor),
        h('label', { class: 'inline-field' }, h('span', { class: 'sr-only' }, 'Cohort of ' + student.name), cohort)));
  }

  function select(kind, student, options, none, current) {
    const el = h('select', { name: kind, class: kind + '-select' },
      h('option', { value: '' }, none),
      options.map(o => h('option', { value: String(o.id) }, o.name)));
    el.value = current == null ? '' : String(current);
    el.addEventListener('change', () => reassign(kind, student, el, current));
    return el;
  }

  async function reassign(kind, student, el, previous) {
    const li = el.closest('li');
    const problem = li.querySelector('.form-error');
    problem.hidden = true;
    const value = el.value === '' ? null : Number(el.value);
    const done = busy(el);
    try {
      const updated = await ctx.api.put(`/api/students/${student.id}/${kind}`, { [kind + 'Id']: value });
      ctx.updateStudent(updated);
      ctx.toast(`${updated.name}: ${kind} ${value == null ? 'removed' : 'changed'}`, 'success');
    } catch (e) {
      el.value = previous == null ? '' : String(previous);
      problem.textContent = describeError(e);
      problem.hidden = false;
    } finally {
      done();
    }
  }

  function renderInviteCohorts() {
    const chosen = inviteCohort.value;
    fill(inviteCohort, ctx.myCohorts().map(c => h('option', { value: String(c.id), selected: String(c.id) === chosen }, c.name)));
  }

  async function invite(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    invited.hidden = true;
    const done = busy(f.querySelector('button[type=submit]'), 'Creating…');
    try {
      const inv = await ctx.api.post('/api/cohorts/' + Number(inviteCohort.value) + '/invitations',
        { maxUses: Number(formValues(f).maxUses) });
      fill(invited, 'Invitation code ', h('code', {}, inv.code), ' — link: ',
        h('code', {}, location.origin + inv.link), ` (${inv.maxUses} sign-ups, until ${new Date(inv.expiresAt).toLocaleString()}). It is shown only now.`);
      invited.hidden = false;
    } catch (err) {
      showFormError(f, err);
    } finally {
      done();
    }
  }

  async function createCohort(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    const name = formValues(f).name || '';
    const mentorIds = [...f.querySelectorAll('input[name=mentorIds]:checked')].map(c => Number(c.value));
    const done = busy(f.querySelector('button[type=submit]'), 'Creating…');
    try {
      const cohort = await ctx.api.post('/api/cohorts', { name, mentorIds });
      ctx.addCohort(cohort);
      f.reset();
      f.closest('details').open = false;
      ctx.toast('Cohort created: ' + cohort.name, 'success');
    } catch (err) {
      showFormError(f, err);
    } finally {
      done();
    }
  }

  return { root, render };
}
