// Renders /openapi.json on api.html. A file, not an inline script: the Content-Security-Policy allows none.
// Plain DOM, no libraries: the document is small enough to list as is.
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach(c => e.append(c));
  return e;
};
const resolve = (doc, node) => {
  while (node && node.$ref) node = node.$ref.slice(2).split('/').reduce((o, k) => o[k], doc);
  return node;
};
const pretty = (doc, schema) => JSON.stringify(schema, null, 2);

fetch('/openapi.json').then(r => r.json()).then(doc => {
  const root = document.getElementById('api');
  root.textContent = '';
  root.append(el('p', {}, doc.info.description || ''));
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      (byTag[(op.tags || ['other'])[0]] ||= []).push({path, method, op});
    }
  }
  for (const [tag, ops] of Object.entries(byTag)) {
    root.append(el('h2', {}, tag));
    for (const {path, method, op} of ops) {
      const d = el('details', {},
        el('summary', {}, el('span', {class: 'm ' + method}, method.toUpperCase()), el('code', {}, path), ' — ',
          op.summary || '', ' ', el('span', {class: 'who'}, '(' + (op['x-roles'] || []).join(', ') + ')')));
      d.append(el('p', {}, op.description || ''));
      const params = (op.parameters || []).map(p => resolve(doc, p));
      if (params.length) {
        const t = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'about')));
        params.forEach(p => t.append(el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, p.in),
          el('td', {}, p.description || ''))));
        d.append(t);
      }
      const body = op.requestBody && op.requestBody.content['application/json'];
      if (body) d.append(el('p', {}, 'Body:'), el('pre', {}, pretty(doc, body.example || body.schema)));
      const rs = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'meaning')));
      for (const [status, r] of Object.entries(op.responses)) {
        rs.append(el('tr', {}, el('td', {}, status), el('td', {}, resolve(doc, r).description || '')));
      }
      d.append(rs);
      root.append(d);
    }
  }
  root.append(el('h2', {}, 'schemas'));
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    root.append(el('details', {}, el('summary', {}, el('code', {}, name)), el('pre', {}, pretty(doc, schema))));
  }
}).catch(e => { document.getElementById('api').textContent = 'Could not load /openapi.json: ' + e; });
