// Who a new session or task is for: a mentor chooses among their own students and cohorts; an admin first chooses
// the mentor it is on behalf of (sent as mentorId), then among that mentor's students and cohorts.
import { h, fill } from './dom.js';

/** The "Mentor" field of an admin's form (null for a mentor, who is the mentor). */
export function mentorField(ctx, id, onChange) {
  if (ctx.user.role !== 'admin') return null;
  return h('div', { class: 'field' }, h('label', { for: id }, 'Mentor'),
    h('select', { id, name: 'mentorId', required: true, onchange: onChange }));
}

/** Refills a form's mentor (admins) and audience selects, keeping what was chosen. */
export function fillAudience(ctx, form, audienceSelect, cohortGroupLabel) {
  if (!form || !audienceSelect) return;
  let students = ctx.students();
  let cohorts = ctx.myCohorts();
  const mentorSelect = form.querySelector('select[name=mentorId]');
  if (mentorSelect) {
    const chosen = mentorSelect.value;
    fill(mentorSelect, h('option', { value: '' }, 'Choose a mentor…'),
      ctx.mentors().map(m => h('option', { value: String(m.id) }, m.name)));
    mentorSelect.value = chosen;
    const mentorId = mentorSelect.value ? Number(mentorSelect.value) : null;
    cohorts = mentorId == null ? [] : cohorts.filter(c => (c.mentorIds || []).includes(mentorId));
    const cohortIds = new Set(cohorts.map(c => c.id));
    students = mentorId == null ? [] : students.filter(s => s.mentorId === mentorId || cohortIds.has(s.cohortId));
  }
  const previous = audienceSelect.value;
  const prompt = mentorSelect && !mentorSelect.value ? 'Choose a mentor first'
    : students.length || cohorts.length ? 'Choose a student or cohort…' : 'No students yet';
  fill(audienceSelect, h('option', { value: '' }, prompt),
    students.length ? h('optgroup', { label: 'Students' },
      students.map(s => h('option', { value: 'student:' + s.id }, s.name))) : null,
    cohorts.length ? h('optgroup', { label: cohortGroupLabel },
      cohorts.map(c => h('option', { value: 'cohort:' + c.id }, c.name))) : null);
  audienceSelect.value = previous;
  if (audienceSelect.value !== previous) audienceSelect.value = '';
}

/** The form's audience as API fields: {studentId} or {cohortId}, and an admin's {mentorId}. */
export function audienceFields(values) {
  const fields = {};
  const [kind, id] = (values.audience || '').split(':');
  if (kind === 'cohort') fields.cohortId = Number(id);
  else if (kind === 'student') fields.studentId = Number(id);
  if (values.mentorId) fields.mentorId = Number(values.mentorId);
  return fields;
}
