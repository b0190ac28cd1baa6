// Small DOM and formatting helpers. Text always goes in through textContent: nothing from the API is parsed as HTML.

/** h('li', {class: 'x', onclick: fn}, 'text', child) → element */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// times carry their zone ("14:00 CET"): a mentor and a student in different zones read the same instant
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
});
const dateTimeNoZone = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export function formatDateTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)) : '';
}

/** The start of a range whose end (formatTime) names the zone. */
export function formatDateTimeNoZone(iso) {
  return iso ? dateTimeNoZone.format(new Date(iso)) : '';
}

export function formatTime(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '';
}

export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

/** "3 min ago", for the activity feed and notifications. */
export function formatRelative(iso) {
  if (!iso) return '';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
  return formatDate(iso);
}

/**
 * A datetime-local value ("2026-12-01T15:00") as ISO-8601 with the browser's offset for that date
 * ("2026-12-01T15:00:00+01:00"): the API rejects times without an offset, and DST makes the offset date-dependent.
 */
export function localInputToIso(value) {
  if (!value) return null;
  const date = new Date(value); // parsed as local time
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = n => String(n).padStart(2, '0');
  const base = value.length === 16 ? value + ':00' : value.slice(0, 19);
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A Date as a datetime-local value in the browser's zone. */
export function toLocalInput(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "needs_revision" → "Needs revision" */
export function humanize(word) {
  if (!word) return '';
  const spaced = String(word).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function statusChip(status) {
  return h('span', { class: `chip chip-${status}` }, humanize(status));
}

/** Reads a form's named fields into an object (empty strings dropped). */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    const text = typeof value === 'string' ? value.trim() : value;
    if (text !== '') values[key] = text;
  }
  return values;
}
