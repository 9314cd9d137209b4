// The console's FAQ tab: find an entry, edit one language version, retire it, see its versions,
// teach it an unanswered question, and export the Markdown file to commit to knowledge/.
// Runs beside admin.js and shares with it only the session token (admin-api.js) and the page language.
import { authorizedFetch } from './admin-api.js';
import { $, el } from './dom.js';

const TEXT = {
  de: {
    tab: 'FAQ',
    search: 'Eintrag suchen',
    searchHint: 'Titel oder ID, oder eine neue ID für einen neuen Eintrag',
    open: 'Öffnen',
    language: 'Sprache',
    title: 'Titel',
    questions: 'Fragen (eine pro Zeile)',
    tags: 'Schlagwörter (mit Komma getrennt)',
    queue: 'Queue',
    billable: 'Kostenpflichtig (erweiterter Support)',
    related: 'Verwandte Einträge (IDs, mit Komma getrennt)',
    answer: 'Antwort (Markdown)',
    reason: 'Grund der Änderung',
    save: 'Speichern',
    retire: 'Zurückziehen',
    confirmRetire: 'Diese Sprachversion zurückziehen? Der Bot beantwortet sie dann nicht mehr.',
    export: 'Als Datei exportieren',
    download: 'Herunterladen',
    history: 'Versionen',
    noHistory: 'Noch keine Änderungen in der Konsole.',
    retired: 'zurückgezogen',
    origin: { file: 'aus Datei', store: 'in der Konsole geändert', retired: 'zurückgezogen', new: 'neu' },
    saved: 'Gespeichert. Der Bot antwortet ab sofort damit.',
    unchanged: 'Keine Änderung.',
    retiredDone: 'Zurückgezogen.',
    problems: 'Nicht gespeichert:',
    teach: 'Unbeantwortete Frage beibringen',
    teachHint: 'Die Frage wird eine weitere Formulierung dieses Eintrags.',
    teachButton: 'Beibringen',
    noOpen: 'Keine offenen Fragen in dieser Sprache.',
    taught: 'Gelernt.',
    proposed: 'Vorschlag von',
  },
  en: {
    tab: 'FAQ',
    search: 'Find an entry',
    searchHint: 'Title or id, or a new id for a new entry',
    open: 'Open',
    language: 'Language',
    title: 'Title',
    questions: 'Questions (one per line)',
    tags: 'Tags (comma separated)',
    queue: 'Queue',
    billable: 'Billable (extended support)',
    related: 'Related entries (ids, comma separated)',
    answer: 'Answer (Markdown)',
    reason: 'Reason for the change',
    save: 'Save',
    retire: 'Retire',
    confirmRetire: 'Retire this language version? The bot stops answering with it.',
    export: 'Export as file',
    download: 'Download',
    history: 'Versions',
    noHistory: 'No changes made in the console yet.',
    retired: 'retired',
    origin: { file: 'from file', store: 'changed in the console', retired: 'retired', new: 'new' },
    saved: 'Saved. The bot answers with it from now on.',
    unchanged: 'Nothing changed.',
    retiredDone: 'Retired.',
    problems: 'Not saved:',
    teach: 'Teach an unanswered question',
    teachHint: 'The question becomes one more phrasing of this entry.',
    teachButton: 'Teach',
    noOpen: 'No open questions in this language.',
    taught: 'Learnt.',
    proposed: 'Proposed by',
  },
};

const lang = () => (document.documentElement.lang === 'en' ? 'en' : 'de');
const t = (key) => TEXT[lang()][key];
const state = { id: null, language: 'de', view: null };

/** Answers `{ ok, status, body }`; a 401 is left to admin.js, which signs out on its next refresh. */
async function call(method, path, body) {
  const response = await authorizedFetch(path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json().catch(() => ({})) : await response.text();
  return { ok: response.ok, status: response.status, body: data };
}

function say(text, bad = false) {
  const box = $('#faq-message');
  box.replaceChildren(text);
  box.className = bad ? 'error' : 'muted';
}

function sayProblems(error) {
  const list = el(
    'ul',
    { class: 'faq-problems' },
    (error?.issues ?? []).map((issue) =>
      el('li', {}, [el('code', { text: issue.path }), ` ${issue.message}`]),
    ),
  );
  const box = $('#faq-message');
  box.className = 'error';
  box.replaceChildren(el('p', { text: `${t('problems')} ${error?.message ?? ''}` }), list);
}

function field(id, label, input) {
  input.id = id;
  return el('div', { class: 'faq-field' }, [el('label', { for: id, text: label }), input]);
}

/** The name typed into the console's header, so versions and the audit log say who. */
const by = () => $('#agent-name')?.value.trim() || undefined;

const splitList = (text) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function search(event) {
  event.preventDefault();
  const q = $('#faq-query').value.trim();
  if (!q) return;
  const { body } = await call('GET', `/api/admin/faq?q=${encodeURIComponent(q)}`);
  const seen = new Set();
  const hits = (body.results ?? []).filter((hit) => !seen.has(hit.id) && seen.add(hit.id));
  const items = hits.map((hit) =>
    el('li', {}, [
      el('button', {
        type: 'button',
        class: 'ghost',
        text: `${hit.title} (${hit.id})`,
        onclick: () => open(hit.id),
      }),
    ]),
  );
  // A valid new id can always be opened, as the start of a new entry.
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q) && !seen.has(q)) {
    items.push(
      el('li', {}, [
        el('button', { type: 'button', class: 'ghost', text: `+ ${q}`, onclick: () => open(q) }),
      ]),
    );
  }
  $('#faq-results').replaceChildren(...items);
}

async function open(id, language = state.language) {
  const { ok, status, body } = await call('GET', `/api/admin/faq/${encodeURIComponent(id)}`);
  state.id = id;
  state.view = ok ? body : status === 404 ? { id, languages: {} } : null;
  if (!state.view) {
    say(body?.error?.message ?? `HTTP ${status}`, true);
    return;
  }
  state.language = language;
  render();
}

function render() {
  const view = state.view;
  if (!view) return;
  const current = view.languages[state.language];
  const entry = current?.entry ?? current?.shipped;
  const originKey = current ? current.origin : 'new';
  const tabs = el(
    'div',
    { class: 'button-row', role: 'group', 'aria-label': t('language') },
    ['de', 'en'].map((l) =>
      el('button', {
        type: 'button',
        class: l === state.language ? 'primary' : '',
        'aria-pressed': String(l === state.language),
        text: `${l.toUpperCase()}: ${t('origin')[view.languages[l]?.origin ?? 'new']}`,
        onclick: () => {
          state.language = l;
          render();
        },
      }),
    ),
  );
  const form = el('form', { id: 'faq-form', class: 'faq-form' }, [
    field(
      'faq-title',
      t('title'),
      el('input', { type: 'text', maxlength: '120', value: entry?.title ?? '' }),
    ),
    field('faq-questions', t('questions'), el('textarea', { rows: '6' })),
    field('faq-answer', t('answer'), el('textarea', { rows: '10' })),
    field('faq-tags', t('tags'), el('input', { type: 'text', value: (entry?.tags ?? []).join(', ') })),
    field('faq-queue', t('queue'), el('input', { type: 'text', value: entry?.queue ?? 'general' })),
    field(
      'faq-related',
      t('related'),
      el('input', { type: 'text', value: (entry?.related ?? []).join(', ') }),
    ),
    el('div', { class: 'faq-field faq-check' }, [
      el('input', { type: 'checkbox', id: 'faq-billable', checked: entry?.billable === true }),
      el('label', { for: 'faq-billable', text: t('billable') }),
    ]),
    field('faq-reason', t('reason'), el('input', { type: 'text', maxlength: '500' })),
    el('div', { class: 'button-row' }, [
      el('button', { type: 'submit', class: 'primary', text: t('save') }),
      originKey === 'file' || originKey === 'store'
        ? el('button', { type: 'button', class: 'danger', text: t('retire'), onclick: retire })
        : null,
      entry && originKey !== 'retired'
        ? el('button', { type: 'button', text: t('export'), onclick: exportFile })
        : null,
    ]),
  ]);
  form.querySelector('#faq-questions').value = (entry?.questions ?? []).join('\n');
  form.querySelector('#faq-answer').value = entry?.answer ?? '';
  form.addEventListener('submit', save);

  const history = current?.history ?? [];
  const versions = el('section', { class: 'faq-history' }, [
    el('h3', { text: t('history') }),
    history.length === 0
      ? el('p', { class: 'muted', text: t('noHistory') })
      : el(
          'ol',
          {},
          history.map((r) =>
            el('li', {}, [
              el('strong', { text: `v${r.version}` }),
              ` ${new Date(r.at).toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB')} · ${r.actor} · `,
              r.entry ? r.entry.title : el('em', { text: t('retired') }),
            ]),
          ),
        ),
  ]);

  $('#faq-editor').replaceChildren(el('h2', { text: state.id }), tabs, form, versions, teachSection(entry));
  $('#faq-message').replaceChildren();
  if (entry) loadTeachable();
}

function teachSection(entry) {
  if (!entry) return null;
  return el('section', { class: 'faq-teach' }, [
    el('h3', { text: t('teach') }),
    el('p', { class: 'muted', text: t('teachHint') }),
    el('ul', { id: 'faq-teachable' }),
  ]);
}

async function loadTeachable() {
  const { body } = await call('GET', '/api/admin/unanswered?status=open');
  const questions = (body.questions ?? []).filter((q) => q.language === state.language);
  const list = $('#faq-teachable');
  if (!list) return;
  if (questions.length === 0) {
    list.replaceChildren(el('li', { class: 'muted', text: t('noOpen') }));
    return;
  }
  list.replaceChildren(
    ...questions.map((q) =>
      el('li', { 'data-question': q.id }, [
        el('span', { text: q.text }),
        q.proposedAnswer
          ? el('span', { class: 'muted', text: ` (${t('proposed')} ${q.proposedAnswer.by})` })
          : null,
        ' ',
        el('button', { type: 'button', text: t('teachButton'), onclick: () => teach(q.id) }),
      ]),
    ),
  );
}

/** After a change: the server's objections, or the entry shown afresh with `message()` under it. */
async function reopenAfter(result, message) {
  if (!result.ok) {
    sayProblems(result.body?.error);
    return;
  }
  await open(state.id, state.language);
  say(message());
}

async function save(event) {
  event.preventDefault();
  const value = (id) => $(`#${id}`).value;
  const body = {
    title: value('faq-title').trim(),
    questions: value('faq-questions')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    answer: value('faq-answer'),
    tags: splitList(value('faq-tags')),
    queue: value('faq-queue').trim(),
    related: splitList(value('faq-related')),
    billable: $('#faq-billable').checked,
    by: by(),
  };
  const reason = value('faq-reason').trim();
  if (reason) body.reason = reason;
  const path = `/api/admin/faq/${encodeURIComponent(state.id)}/${state.language}`;
  const result = await call('PUT', path, body);
  await reopenAfter(result, () => (result.body.changed ? t('saved') : t('unchanged')));
}

async function retire() {
  if (!window.confirm(t('confirmRetire'))) return;
  const result = await call('DELETE', `/api/admin/faq/${encodeURIComponent(state.id)}/${state.language}`, {
    by: by(),
  });
  await reopenAfter(result, () => t('retiredDone'));
}

async function teach(questionId) {
  const result = await call('POST', `/api/admin/unanswered/${encodeURIComponent(questionId)}/answer`, {
    entryId: state.id,
    by: by(),
  });
  await reopenAfter(result, () => t('taught'));
}

async function exportFile() {
  const result = await call('GET', `/api/admin/faq/${encodeURIComponent(state.id)}/${state.language}/export`);
  if (!result.ok) {
    sayProblems(result.body?.error);
    return;
  }
  const name = `${state.id}.md`;
  const link = el('a', { download: name, text: `${t('download')} ${name}` });
  link.href = URL.createObjectURL(new Blob([result.body], { type: 'text/markdown' }));
  $('#faq-message').className = 'muted';
  $('#faq-message').replaceChildren(
    el('p', { text: `knowledge/${state.language}/${name}` }),
    el('pre', { class: 'faq-export', text: result.body }),
    link,
  );
}

function applyTexts() {
  $('#tab-faq').textContent = t('tab');
  $('#faq-query-label').textContent = t('search');
  $('#faq-query').placeholder = t('searchHint');
  $('#faq-search-button').textContent = t('open');
  render();
}

function init() {
  if (!$('#panel-faq')) return;
  $('#faq-search').addEventListener('submit', (event) => search(event).catch((e) => say(e.message, true)));
  // admin.js switches the page language first; this listener runs after its own.
  $('#lang-toggle').addEventListener('click', () => applyTexts());
  applyTexts();
}

init();
