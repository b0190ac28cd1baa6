// Learning entries: students write, edit and submit them; mentors review their students' entries and comment.
import { h, fill, formValues, formatRelative, formatDateTime, humanize, statusChip } from './dom.js';
import { describeError } from './api.js';
import { showFormError, clearFormError, busy, pendingActions } from './forms.js';

const EDITABLE = ['draft', 'needs_revision'];
/** The review moves a mentor may make from each status (the server enforces the workflow; this only offers them). */
const REVIEW_MOVES = {
  submitted: ['in_review', 'approved', 'needs_revision'],
  in_review: ['approved', 'needs_revision']
};
const MOVE_LABELS = { in_review: 'Start review', approved: 'Approve', needs_revision: 'Request revision' };

/** What a move did, in words (never the status's name). */
const STATUS_DONE = {
  submitted: 'Submitted for review: your mentor has been told', in_review: 'Review started', approved: 'Entry approved',
  needs_revision: 'Changes requested: the student has been told', draft: 'Back to draft'
};

export function createEntries(ctx) {
  const role = ctx.user.role;
  const entries = new Map();
  let openId = null;
  const list = h('ul', { id: 'entries-list', class: 'item-list', 'aria-label': 'Learning entries' });
  const detail = h('div', { id: 'entry-detail', class: 'detail', hidden: true });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true });
  const filter = role === 'student' ? null : h('select', { id: 'entries-filter', 'aria-label': 'Show entries with status', onchange: render },
    h('option', { value: '' }, 'All statuses'),
    ['submitted', 'in_review', 'needs_revision', 'approved', 'draft'].map(s => h('option', { value: s }, humanize(s))));
  const composer = role === 'student' ? newEntryForm() : null;

  const root = h('section', { class: 'card', id: 'entries-panel', 'aria-labelledby': 'entries-title' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'entries-title' }, role === 'student' ? 'My learning journal' : 'Learning entries'), filter),
    composer, error, list, detail);
  // the open entry is drawn again on its events: a review move or a reply still waiting stays busy
  const actions = pendingActions(detail);

  function newEntryForm() {
    const f = h('form', { id: 'entry-form', class: 'stack-form', onsubmit: create },
      h('div', { class: 'field' }, h('label', { for: 'entry-title' }, 'Title'),
        h('input', { id: 'entry-title', name: 'title', required: true, maxlength: '200', placeholder: 'What did you learn?' })),
      h('div', { class: 'field' }, h('label', { for: 'entry-focus' }, 'Focus ', h('span', { class: 'optional' }, '(optional)')),
        h('input', { id: 'entry-focus', name: 'focusStack', maxlength: '100', placeholder: 'e.g. SQL' })),
      h('div', { class: 'field' }, h('label', { for: 'entry-content' }, 'Reflection'),
        h('textarea', { id: 'entry-content', name: 'content', rows: '4', maxlength: '20000', required: true })),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save draft')));
    return h('details', { class: 'composer' }, h('summary', { class: 'btn btn-secondary' }, 'New entry'), f);
  }

  async function create(e) {
    e.preventDefault();
    const f = e.currentTarget;
    clearFormError(f);
    const v = formValues(f);
    const done = busy(f.querySelector('button[type=submit]'), 'Saving…');
    try {
      const entry = await ctx.api.post('/api/entries', { title: v.title || '', content: v.content || '', ...(v.focusStack ? { focusStack: v.focusStack } : {}) });
      upsert(entry);
      f.reset();
      f.closest('details').open = false;
      ctx.toast('Entry saved as a draft', 'success');
      open(entry.id);
    } catch (err) {
      showFormError(f, err);
    } finally {
      done();
    }
  }

  async function load() {
    try {
      const page = await ctx.api.get('/api/entries');
      entries.clear();
      for (const entry of page.items || []) entries.set(entry.id, entry);
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = 'Entries could not be loaded: ' + describeError(e);
      error.hidden = false;
    }
  }

  function upsert(entry) {
    entries.set(entry.id, { ...(entries.get(entry.id) || {}), ...entry });
    render();
    if (openId === entry.id) renderDetail();
  }

  let reloadTimer = null;
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 300);
  }

  function apply(event) {
    const data = event.data || {};
    if (event.type === 'entry:created' || event.type === 'entry:statusChanged') {
      if (data.entry && data.entry.id) upsert(data.entry);
      else reloadSoon();
    } else if (event.type === 'comment:added') {
      const entryId = data.entryId || (data.comment && data.comment.entryId) || (data.entry && data.entry.id);
      if (openId !== null && (entryId === openId || entryId === undefined)) loadComments(openId);
    }
  }

  function render() {
    const wanted = filter ? filter.value : '';
    const items = [...entries.values()]
      .filter(entry => !wanted || entry.status === wanted)
      .sort((a, b) => (b.updatedAt || b.createdAt || '').localeCompare(a.updatedAt || a.createdAt || '') || b.id - a.id);
    fill(list, items.length ? items.map(entry => h('li', { class: 'entry' + (entry.id === openId ? ' is-open' : ''), dataset: { id: String(entry.id) } },
      h('button', { class: 'item-link', 'aria-expanded': String(entry.id === openId), onclick: () => open(entry.id === openId ? null : entry.id) },
        h('span', { class: 'item-title' }, entry.title),
        h('span', { class: 'item-meta' },
          role === 'student' ? '' : (entry.studentName || ctx.studentName(entry.studentId) || 'Student #' + entry.studentId) + ' · ',
          'updated ' + formatRelative(entry.updatedAt || entry.createdAt))),
      statusChip(entry.status)))
      : h('li', { class: 'empty' }, role === 'student' ? 'No entries yet. Write your first reflection.' : 'No entries to show.'));
  }

  function open(id) {
    openId = id;
    render();
    renderDetail();
    if (id !== null) loadComments(id);
  }

  function renderDetail() {
    const entry = entries.get(openId);
    if (!entry) {
      detail.hidden = true;
      fill(detail);
      return;
    }
    detail.hidden = false;
    const editable = role === 'student' && EDITABLE.includes(entry.status);
    const feedback = [
      h('h4', {}, role === 'student' ? 'Your mentor’s feedback' : 'Feedback'),
      h('ul', { class: 'comments', id: 'entry-comments' }, h('li', { class: 'empty' }, 'Loading…')),
      role === 'student' ? null : commentForm(entry)];
    const body = [
      editable ? editForm(entry) : h('div', {},
        entry.focusStack ? h('p', { class: 'item-meta' }, 'Focus: ' + entry.focusStack) : null,
        h('p', { class: 'entry-content' }, entry.content || '')),
      entry.submittedAt ? h('p', { class: 'item-meta' }, 'Submitted ' + formatDateTime(entry.submittedAt)) : null,
      reviewActions(entry)];
    fill(detail,
      h('div', { class: 'detail-head' },
        h('h3', {}, entry.title), statusChip(entry.status),
        h('button', { class: 'btn btn-small btn-quiet', 'aria-label': 'Close entry', onclick: () => open(null) }, 'Close')),
      // a student revising reads the feedback before the editor; a mentor reads the entry before their feedback
      role === 'student' ? [feedback, body] : [body, feedback]);
  }

  function editForm(entry) {
    const f = h('form', { class: 'stack-form', id: 'entry-edit-form' },
      h('div', { class: 'field' }, h('label', { for: 'edit-title' }, 'Title'),
        h('input', { id: 'edit-title', name: 'title', required: true, maxlength: '200', value: entry.title })),
      h('div', { class: 'field' }, h('label', { for: 'edit-focus' }, 'Focus'),
        h('input', { id: 'edit-focus', name: 'focusStack', maxlength: '100', value: entry.focusStack || '' })),
      h('div', { class: 'field' }, h('label', { for: 'edit-content' }, 'Reflection'),
        h('textarea', { id: 'edit-content', name: 'content', rows: '6', maxlength: '20000', required: true }, entry.content || '')),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Save changes'),
        actions.mark(h('button', { type: 'button', class: 'btn btn-primary', onclick: e => submitForReview(f, entry, e.currentTarget) },
          'Submit for review'), entry.id + ':status:submitted')));
    f.addEventListener('submit', async e => {
      e.preventDefault();
      await save(f, entry);
    });
    return f;
  }

  async function save(f, entry) {
    clearFormError(f);
    const v = formValues(f);
    const done = busy(f.querySelector('button[type=submit]'), 'Saving…');
    try {
      upsert(await ctx.api.put('/api/entries/' + entry.id, { title: v.title || '', content: v.content || '', focusStack: v.focusStack || null }));
      ctx.toast('Entry saved', 'success');
      return true;
    } catch (err) {
      showFormError(f, err);
      return false;
    } finally {
      done();
    }
  }

  function submitForReview(f, entry, button) {
    return actions.run(entry.id + ':status:submitted', button, async () => {
      if (await save(f, entry)) await changeStatus(entry, 'submitted');
    }, 'Submitting…');
  }

  function reviewActions(entry) {
    if (role !== 'mentor' && role !== 'admin') return null;
    const moves = REVIEW_MOVES[entry.status] || [];
    if (!moves.length) return null;
    return h('div', { class: 'form-actions review-actions', role: 'group', 'aria-label': 'Review' },
      moves.map(status => actions.mark(h('button', {
        class: 'btn btn-small' + (status === 'approved' ? ' btn-primary' : ''), dataset: { status },
        onclick: e => actions.run(entry.id + ':status:' + status, e.currentTarget, () => changeStatus(entry, status))
      }, MOVE_LABELS[status]), entry.id + ':status:' + status)));
  }

  async function changeStatus(entry, status) {
    try {
      upsert(await ctx.api.patch('/api/entries/' + entry.id + '/status', { status }));
      ctx.toast(STATUS_DONE[status] || 'Entry updated', 'success');
    } catch (e) {
      ctx.toast('Could not change the status: ' + describeError(e), 'error');
    }
  }

  async function loadComments(id) {
    let items;
    try {
      items = (await ctx.api.get('/api/entries/' + id + '/comments')).items || [];
    } catch (e) {
      items = null;
      if (openId === id) fill(detail.querySelector('#entry-comments') || h('ul'), h('li', { class: 'panel-error' }, 'Comments could not be loaded: ' + describeError(e)));
      return;
    }
    const box = detail.querySelector('#entry-comments');
    if (openId !== id || !box) return;
    // one level of threads: each comment with the replies that answer it, oldest first
    const replies = new Map();
    for (const c of items) if (c.parentId) replies.set(c.parentId, [...(replies.get(c.parentId) || []), c]);
    const said = c => h('div', { class: 'comment-said' },
      h('div', { class: 'item-meta' }, (c.authorId === ctx.user.id ? 'You' : c.authorName || 'Mentor') + ' · ' + formatRelative(c.createdAt)),
      h('p', {}, c.body));
    fill(box, items.some(c => !c.parentId) ? items.filter(c => !c.parentId).map(c => h('li', { class: 'comment', dataset: { id: String(c.id) } },
      said(c),
      (replies.get(c.id) || []).length ? h('ul', { class: 'replies', 'aria-label': 'Replies' },
        replies.get(c.id).map(r => h('li', { class: 'comment reply', dataset: { id: String(r.id) } }, said(r)))) : null,
      replyForm(id, c)))
      : h('li', { class: 'empty' }, role === 'student' ? 'No feedback yet.' : 'No comments yet.'));
  }

  /** Answering a comment in its thread: students reply to their mentor, mentors may answer a reply. */
  function replyForm(entryId, comment) {
    const fieldId = 'reply-' + comment.id;
    const f = h('form', { class: 'reply-form', dataset: { parent: String(comment.id) } },
      h('label', { for: fieldId, class: 'sr-only' }, 'Reply to ' + (comment.authorName || 'this comment')),
      h('textarea', { id: fieldId, name: 'body', rows: '1', maxlength: '5000', required: true, placeholder: 'Reply…' }),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      actions.mark(h('button', { type: 'submit', class: 'btn btn-small btn-secondary' }, 'Reply'), 'reply:' + comment.id));
    f.addEventListener('submit', e => {
      e.preventDefault();
      clearFormError(f);
      actions.run('reply:' + comment.id, f.querySelector('button'), async () => {
        try {
          await ctx.api.post('/api/entries/' + entryId + '/comments', { body: formValues(f).body || '', parentId: comment.id });
          await loadComments(entryId);
          const again = detail.querySelector(`form[data-parent="${comment.id}"] textarea`);
          if (again) again.focus();
          ctx.toast(role === 'student' ? 'Reply sent to your mentor' : 'Reply sent', 'success');
        } catch (err) {
          showFormError(f, err);
        }
      }, 'Sending…');
    });
    return f;
  }

  function commentForm(entry) {
    const f = h('form', { class: 'stack-form', id: 'comment-form' },
      h('div', { class: 'field' }, h('label', { for: 'comment-body' }, 'Add a comment'),
        h('textarea', { id: 'comment-body', name: 'body', rows: '2', maxlength: '5000', required: true })),
      h('p', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Comment')));
    f.addEventListener('submit', async e => {
      e.preventDefault();
      clearFormError(f);
      const done = busy(f.querySelector('button[type=submit]'), 'Sending…');
      try {
        await ctx.api.post('/api/entries/' + entry.id + '/comments', { body: formValues(f).body || '' });
        f.reset();
        loadComments(entry.id);
      } catch (err) {
        showFormError(f, err);
      } finally {
        done();
      }
    });
    return f;
  }

  return { root, load, apply, open };
}
